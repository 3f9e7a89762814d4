//go:build linux || darwin

package doctor

import "syscall"

// freeBytes is the space left to unprivileged users under dir (-1: unknown).
func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
