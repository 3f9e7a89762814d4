package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/reseal"
)

func init() {
	register(&command{
		name:    "key",
		summary: "the secret keyring: key list|rotate|reseal|backup (--crypto gm for SM4/SM3)",
		run:     runKey,
	})
}

const keyUsage = `Usage:
  fuwu key list                         the keys of the ring, their suites, the last backup
  fuwu key rotate [--crypto gm|standard] [--print]
                                        add a fresh key that seals from now on (default: the
                                        current key's suite); --print writes the new ring to
                                        standard output instead of the key file (for $FUWU_SECRET_KEY)
  fuwu key reseal [--dry-run] [--batch N]
                                        move every sealed value to the newest key, with progress;
                                        safe to stop and run again
  fuwu key backup --out FILE            copy the ring to FILE (0600) and note the backup

Old keys stay in the ring: database backups taken before a reseal still need them,
and the first key also keys the fingerprints that find a resident's bookings.`

func runKey(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(std.err, keyUsage)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	run, ok := keySubs[args[0]]
	if !ok {
		return &exitError{code: 2, msg: fmt.Sprintf("unknown key command %q\n%s", args[0], keyUsage)}
	}
	return run(ctx, args[1:], std)
}

// keySubs are key's subcommands, each parsing its own flags.
var keySubs = map[string]func(ctx context.Context, args []string, std stdio) error{
	"list": func(_ context.Context, args []string, std stdio) error {
		sf, err := keyFlags("list", args, std, nil)
		if err != nil {
			return err
		}
		return keyList(sf, std)
	},
	"rotate": func(_ context.Context, args []string, std stdio) error {
		var print bool
		sf, err := keyFlags("rotate", args, std, func(fs *flag.FlagSet) {
			fs.BoolVar(&print, "print", false, "print the new ring instead of writing the key file")
		})
		if err != nil {
			return err
		}
		return keyRotate(sf, print, std)
	},
	"reseal": func(ctx context.Context, args []string, std stdio) error {
		var dry bool
		var batch int
		sf, err := keyFlags("reseal", args, std, func(fs *flag.FlagSet) {
			fs.BoolVar(&dry, "dry-run", false, "count what would change, write nothing")
			fs.IntVar(&batch, "batch", 500, "rows per transaction")
		})
		if err != nil {
			return err
		}
		return keyReseal(ctx, sf, dry, batch, std)
	},
	"backup": func(_ context.Context, args []string, std stdio) error {
		var out string
		sf, err := keyFlags("backup", args, std, func(fs *flag.FlagSet) {
			fs.StringVar(&out, "out", "", "file to write the ring to")
		})
		if err != nil {
			return err
		}
		return keyBackup(sf, out, std)
	},
}

// keyFlags parses a key subcommand's flags: the store's, and those bind
// adds. None takes a positional argument.
func keyFlags(sub string, args []string, std stdio, bind func(*flag.FlagSet)) (storeFlags, error) {
	fs := newFlags("key "+sub, std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	if bind != nil {
		bind(fs)
	}
	pos, err := parseSub(fs, args, std.err, 0, "")
	if err != nil {
		return sf, err
	}
	if len(pos) > 0 {
		return sf, fmt.Errorf("unexpected argument %q\n%s", pos[0], keyUsage)
	}
	return sf, nil
}

func keyList(sf storeFlags, std stdio) error {
	keys, err := privacy.LoadKeys(sf.data, env(privacy.KeyEnv))
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "密钥环 %s\n", keys.Source())
	for _, k := range keys.Keys() {
		mark := ""
		if k.Current {
			mark = "  ← 当前加密密钥"
		}
		fmt.Fprintf(std.out, "  key %d\t%s (%s)%s\n", k.ID, k.Suite, k.Suite.Describe(), mark)
	}
	at, where, current, ok, err := privacy.LastBackup(sf.data, keys)
	switch {
	case err != nil:
		return err
	case !ok:
		fmt.Fprintln(std.out, "尚未备份：运行 fuwu key backup --out 文件，并把文件离线保存")
	case !current:
		fmt.Fprintf(std.out, "上次备份 %s（%s）之后密钥环已变化：请重新备份\n", at.In(sf.location()).Format("2006-01-02 15:04"), where)
	default:
		fmt.Fprintf(std.out, "已备份 %s → %s\n", at.In(sf.location()).Format("2006-01-02 15:04"), where)
	}
	return nil
}

func keyRotate(sf storeFlags, print bool, std stdio) error {
	keys, err := privacy.LoadKeys(sf.data, env(privacy.KeyEnv))
	if err != nil {
		return err
	}
	suite := keys.Suite()
	if sf.crypto != "" {
		if suite, err = cryptosuite.Parse(sf.crypto); err != nil {
			return err
		}
	}
	next, err := keys.Rotate(suite)
	if err != nil {
		return err
	}
	cur := next.Keys()[len(next.Keys())-1]
	if print {
		fmt.Fprint(std.out, next.Keyring())
		fmt.Fprintf(std.err, "新密钥 key %d（%s）。把上面的内容（各行以 ; 连接亦可）设为 $%s，在所有副本上重启，再运行 fuwu key reseal\n", cur.ID, cur.Suite, privacy.KeyEnv)
		return nil
	}
	if strings.HasPrefix(keys.Source(), "$") {
		return fmt.Errorf("the ring comes from $%s, which this command cannot change: run it with --print and set the variable to what it prints", privacy.KeyEnv)
	}
	if err := privacy.WriteKeyring(keys.Source(), next); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "已添加 key %d（%s），此后新数据用它加密。\n", cur.ID, cur.Suite.Describe())
	fmt.Fprintln(std.out, "下一步：重启 fuwu serve（所有副本），运行 fuwu key reseal 把已有数据改用新密钥，再运行 fuwu key backup 备份新的密钥环。")
	return nil
}

func keyReseal(ctx context.Context, sf storeFlags, dry bool, batch int, std stdio) error {
	keys, err := privacy.LoadKeys(sf.data, env(privacy.KeyEnv))
	if err != nil {
		return err
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	cur := keys.Keys()[len(keys.Keys())-1]
	fmt.Fprintf(std.err, "重新加密到 key %d（%s）%s\n", cur.ID, cur.Suite.Describe(), map[bool]string{true: "（试运行，不写入）"}[dry])
	last := map[string]int{}
	reps, err := reseal.Run(ctx, db, keys, reseal.Options{BatchSize: batch, DryRun: dry, Progress: func(table string, done, total int) {
		// A line per percent at most: a registry of a million rows is
		// 2,000 batches.
		pct := 100
		if total > 0 {
			pct = done * 100 / total
		}
		if p, seen := last[table]; seen && p == pct && done < total {
			return
		}
		last[table] = pct
		fmt.Fprintf(std.err, "  %-22s %d/%d 行 (%d%%)\n", table, done, total, pct)
	}})
	if err != nil {
		return err
	}
	var bad []string
	changed, skipped := 0, 0
	for _, r := range reps {
		fmt.Fprintf(std.out, "%-22s 读取 %d 行，重新加密 %d 行", r.Table, r.Rows, r.Resealed)
		if r.Skipped > 0 {
			fmt.Fprintf(std.out, "，%d 行期间被修改（再运行一次）", r.Skipped)
		}
		if r.Unreadable > 0 {
			fmt.Fprintf(std.out, "，%d 行无法解密", r.Unreadable)
			bad = append(bad, fmt.Sprintf("%s: %d rows no key opens (first: %s)", r.Table, r.Unreadable, r.FirstBad))
		}
		fmt.Fprintln(std.out)
		changed += r.Resealed
		skipped += r.Skipped
	}
	if !dry {
		if _, err := audit.New(db).WithClock(sf.now(), sf.location()).WithSuite(keys.Suite()).Record(ctx, audit.Entry{
			Actor: cliActor(), Role: "cli", Action: "key.reseal", Target: fmt.Sprintf("key:%d", cur.ID),
			Details: map[string]any{"resealed": changed, "skipped": skipped, "unreadable": len(bad)},
		}); err != nil {
			return fmt.Errorf("audit key.reseal: %w", err)
		}
	}
	if len(bad) > 0 {
		return &exitError{code: 1, msg: "some values could not be opened with any key of the ring (restore the key they were sealed with, then run again):\n  " + strings.Join(bad, "\n  ")}
	}
	return nil
}

func keyBackup(sf storeFlags, out string, std stdio) error {
	if out == "" {
		return errors.New("--out FILE is required: where to write the copy (then keep it offline, away from the database backups)")
	}
	keys, err := privacy.LoadKeys(sf.data, env(privacy.KeyEnv))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(sf.data, 0o700); err != nil {
		return err
	}
	if err := privacy.Backup(sf.data, out, keys, sf.now()()); err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	fmt.Fprintf(std.out, "密钥环已备份到 %s（权限 0600）。请离线保存，不要与数据库备份放在一起。\n", abs)
	return nil
}

// auditSuite is the suite of the keyring the data folder (or
// $FUWU_SECRET_KEY) holds, for commands that write the audit log without
// opening the rooms: a gm deployment's chain is SM3 from its first entry.
// A keyring that cannot be read leaves the log to follow its own chain.
func auditSuite(sf storeFlags) cryptosuite.Suite {
	k, err := privacy.LoadKeysSuite(sf.data, env(privacy.KeyEnv), sf.crypto)
	if err != nil {
		return cryptosuite.Standard
	}
	return k.Suite()
}
