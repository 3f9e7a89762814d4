package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/store"
	"golang.org/x/term"
)

func init() {
	register(&command{
		name:    "user",
		summary: "staff accounts: user add|list|passwd|set|locks|unlock (roles admin, editor, reviewer, agent, operator, teacher)",
		run:     runUser,
	})
}

const userUsage = `Usage:
  fuwu user add NAME --role admin|editor|reviewer|agent|teacher [--display 显示名] [--password-stdin]
  fuwu user list
  fuwu user passwd NAME [--password-stdin]
  fuwu user set NAME [--role R] [--display 显示名] [--disable|--enable]
  fuwu user locks
  fuwu user unlock NAME [--ip ADDRESS]     (or: fuwu user unlock --ip ADDRESS)

The password is asked for twice on a terminal; with --password-stdin it is read
from the first line of standard input (for scripts). Every change is recorded in
the audit trail as done by "cli:" and the operating-system user.`

// userSubs are user's subcommands, each with its own flags.
var userSubs = map[string]func(ctx context.Context, args []string, std stdio) error{
	"add":    userAdd,
	"list":   userList,
	"passwd": userPasswd,
	"set":    userSet,
	"locks":  userLocks,
	"unlock": userUnlock,
}

func runUser(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(std.err, userUsage)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	sub, ok := userSubs[args[0]]
	if !ok {
		fmt.Fprintln(std.err, userUsage)
		return &exitError{code: 2, msg: "unknown subcommand " + args[0]}
	}
	return sub(ctx, args[1:], std)
}

// userCmd is what the user subcommands share: the store and the audit trail.
type userCmd struct {
	sf    storeFlags
	db    *store.DB
	users *auth.Store
	trail *audit.Log
}

func newUserCmd(sub string, std stdio) (*userCmd, *flag.FlagSet) {
	u := &userCmd{}
	fs := newFlags("user "+sub, std.err)
	u.sf.bind(fs)
	return u, fs
}

// parse parses the flags, wants exactly n positional arguments, and opens
// the store; the caller closes u.db.
func (u *userCmd) parse(ctx context.Context, fs *flag.FlagSet, args []string, std stdio, n int, argsUsage string) ([]string, error) {
	pos, err := parseSub(fs, args, std.err, n, argsUsage)
	if err != nil {
		return nil, err
	}
	if len(pos) > n {
		return nil, &exitError{code: 2, msg: "usage: " + fs.Name() + " " + argsUsage}
	}
	if u.db, err = u.sf.open(ctx); err != nil {
		return nil, err
	}
	u.users = auth.NewStore(u.db)
	u.trail = audit.New(u.db).WithSuite(auditSuite(u.sf))
	return pos, nil
}

func (u *userCmd) close() {
	if u.db != nil {
		u.db.Close()
	}
}

func (u *userCmd) record(ctx context.Context, action, target string, details map[string]any) error {
	if _, err := u.trail.Record(ctx, audit.Entry{Actor: cliActor(), Role: "cli", Action: action, Target: target, Details: details}); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func userAdd(ctx context.Context, args []string, std stdio) error {
	u, fs := newUserCmd("add", std)
	defer u.close()
	role := fs.String("role", "", "role: admin, editor, reviewer, agent or teacher")
	display := fs.String("display", "", "display name shown in the console")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	pos, err := u.parse(ctx, fs, args, std, 1, "NAME --role R [--display 显示名] [--password-stdin]")
	if err != nil {
		return err
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	pw, err := readPassword(*stdin, std)
	if err != nil {
		return err
	}
	acct, err := u.users.AddUser(ctx, pos[0], *display, r, pw)
	if err != nil {
		return err
	}
	if err := u.record(ctx, "user.add", "user:"+acct.Username, map[string]any{"role": string(acct.Role)}); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "已创建账号 %s（%s）\n", acct.Username, acct.Role.Label())
	return nil
}

func userList(ctx context.Context, args []string, std stdio) error {
	u, fs := newUserCmd("list", std)
	defer u.close()
	if _, err := u.parse(ctx, fs, args, std, 0, ""); err != nil {
		return err
	}
	users, err := u.users.Users(ctx)
	if err != nil {
		return err
	}
	for _, acct := range users {
		state := "启用"
		if acct.Disabled {
			state = "停用"
		}
		last := "从未登录"
		if !acct.LastLoginAt.IsZero() {
			last = acct.LastLoginAt.In(u.sf.location()).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(std.out, "%s\t%s\t%s\t%s\t%s\n", acct.Username, acct.Role, acct.DisplayName, state, last)
	}
	return nil
}

func userPasswd(ctx context.Context, args []string, std stdio) error {
	u, fs := newUserCmd("passwd", std)
	defer u.close()
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	pos, err := u.parse(ctx, fs, args, std, 1, "NAME [--password-stdin]")
	if err != nil {
		return err
	}
	acct, err := u.users.UserByName(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	pw, err := readPassword(*stdin, std)
	if err != nil {
		return err
	}
	if err := u.users.SetPassword(ctx, acct.ID, pw); err != nil {
		return err
	}
	if err := u.record(ctx, "user.password", "user:"+acct.Username, nil); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "已修改 %s 的密码\n", acct.Username)
	return nil
}

func userSet(ctx context.Context, args []string, std stdio) error {
	u, fs := newUserCmd("set", std)
	defer u.close()
	role := fs.String("role", "", "role: admin, editor, reviewer, agent or teacher")
	display := fs.String("display", "", "display name shown in the console")
	disable := fs.Bool("disable", false, "disable the account")
	enable := fs.Bool("enable", false, "enable the account")
	pos, err := u.parse(ctx, fs, args, std, 1, "NAME [--role R] [--display 显示名] [--disable|--enable]")
	if err != nil {
		return err
	}
	acct, err := u.users.UserByName(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if *role != "" {
		if acct.Role, err = auth.ParseRole(*role); err != nil {
			return err
		}
	}
	if *display != "" {
		acct.DisplayName = *display
	}
	if *disable {
		acct.Disabled = true
	}
	if *enable {
		acct.Disabled = false
	}
	if err := u.users.UpdateUser(ctx, acct.ID, acct.DisplayName, acct.Role, acct.Disabled); err != nil {
		return err
	}
	if err := u.record(ctx, "user.update", "user:"+acct.Username, map[string]any{"role": string(acct.Role), "disabled": acct.Disabled}); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "已更新 %s\n", acct.Username)
	return nil
}

func userLocks(ctx context.Context, args []string, std stdio) error {
	u, fs := newUserCmd("locks", std)
	defer u.close()
	if _, err := u.parse(ctx, fs, args, std, 0, ""); err != nil {
		return err
	}
	locks, err := auth.NewLoginGuard(u.db).Locks(ctx)
	if err != nil {
		return err
	}
	if len(locks) == 0 {
		fmt.Fprintln(std.out, "没有被锁定的账号或地址")
	}
	for _, l := range locks {
		who := l.Username
		if who == "" {
			who = "（该地址的所有账号）"
		}
		fmt.Fprintf(std.out, "%s\t%s\t至 %s\n", who, l.IP, l.Until.In(u.sf.location()).Format("2006-01-02 15:04"))
	}
	return nil
}

func userUnlock(ctx context.Context, args []string, std stdio) error {
	u, fs := newUserCmd("unlock", std)
	defer u.close()
	ip := fs.String("ip", "", "client address whose login lock to lift")
	const argsUsage = "NAME [--ip ADDRESS] (or: --ip ADDRESS)"
	// Parsed before the store opens: a name, or an address, or both.
	pos, err := parseSub(fs, args, std.err, 0, argsUsage)
	if err != nil {
		return err
	}
	if len(pos) > 1 || len(pos) == 0 && *ip == "" {
		return &exitError{code: 2, msg: "usage: fuwu user unlock " + argsUsage}
	}
	if u.db, err = u.sf.open(ctx); err != nil {
		return err
	}
	u.trail = audit.New(u.db).WithSuite(auditSuite(u.sf))
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	n, err := auth.NewLoginGuard(u.db).Unlock(ctx, name, *ip)
	if err != nil {
		return err
	}
	target := "user:" + name
	if name == "" {
		target = "ip:" + *ip
	}
	if err := u.record(ctx, "user.unlock", target, map[string]any{"ip": *ip}); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "已解除锁定（%d 条登录记录）\n", n)
	return nil
}

// cliActor names who ran a command in the audit trail: the operating
// system's user, since the command line has no login.
func cliActor() string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return "cli:" + name
}

// readPassword reads a new password from a terminal (asked twice) or the
// first line of standard input.
func readPassword(fromStdin bool, std stdio) (string, error) {
	tty, isFile := std.in.(*os.File)
	if fromStdin || !isFile || !term.IsTerminal(int(tty.Fd())) {
		line, err := bufio.NewReader(std.in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", errors.New(`no password on standard input: run the command on a terminal to be asked for one, ` +
				`or give it as the first line of standard input with --password-stdin ` +
				`(printf '%s\n' "$PASSWORD" | fuwu user add NAME --role admin --password-stdin)`)
		}
		return pw, nil
	}
	fmt.Fprint(std.err, "密码：")
	a, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(std.err)
	if err != nil {
		return "", err
	}
	fmt.Fprint(std.err, "再输入一次：")
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(std.err)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("两次输入的密码不一致")
	}
	return string(a), nil
}
