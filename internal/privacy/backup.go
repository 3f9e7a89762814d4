package privacy

// Backup records: "fuwu key backup" copies the keyring somewhere safe and
// notes it in the data folder, so that "fuwu doctor" can tell whether the
// ring in use has a copy (a lost key makes every sealed value unreadable).

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// BackupFile is the note of the last backup, in the data folder.
const BackupFile = "secret.key.backup"

// digest identifies a ring's text without revealing it.
func (k *Keys) digest() string {
	return hex.EncodeToString(k.Suite().Sum([]byte(k.Keyring())))[:32]
}

// Backup writes the keyring to path (mode 0600, never over an existing
// file) and notes the backup in dataDir.
func Backup(dataDir, path string, k *Keys, at time.Time) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("privacy: backup: %w", err)
	}
	_, err = f.WriteString(k.Keyring())
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("privacy: backup %s: %w", path, err)
	}
	abs, _ := filepath.Abs(path)
	note := fmt.Sprintf("%s %s %s\n", k.digest(), at.UTC().Format(time.RFC3339), abs)
	if err := os.WriteFile(filepath.Join(dataDir, BackupFile), []byte(note), 0o600); err != nil {
		return fmt.Errorf("privacy: note backup: %w", err)
	}
	return nil
}

// LastBackup reads the note of the last backup: when, where to, and
// whether it holds the ring k (false after a rotation since). ok is false
// when no backup was ever noted.
func LastBackup(dataDir string, k *Keys) (at time.Time, where string, current, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dataDir, BackupFile))
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, "", false, false, nil
	}
	if err != nil {
		return time.Time{}, "", false, false, fmt.Errorf("privacy: %w", err)
	}
	f := strings.SplitN(strings.TrimSpace(string(b)), " ", 3)
	if len(f) != 3 {
		return time.Time{}, "", false, false, fmt.Errorf("privacy: %s is not a backup note", BackupFile)
	}
	at, err = time.Parse(time.RFC3339, f[1])
	if err != nil {
		return time.Time{}, "", false, false, fmt.Errorf("privacy: %s: %w", BackupFile, err)
	}
	return at, f[2], f[0] == k.digest(), true, nil
}
