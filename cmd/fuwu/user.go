package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"golang.org/x/term"
)

func init() {
	register(&command{
		name:    "user",
		summary: "staff accounts: user add|list|passwd|set|locks|unlock (roles admin, editor, reviewer, agent, operator, teacher)",
		run:     runUser,
	})
}

func runUser(ctx context.Context, args []string, std stdio) error {
	usage := func() {
		fmt.Fprintln(std.err, `Usage:
  fuwu user add NAME --role admin|editor|reviewer|agent|teacher [--display 显示名] [--password-stdin]
  fuwu user list
  fuwu user passwd NAME [--password-stdin]
  fuwu user set NAME [--role R] [--display 显示名] [--disable|--enable]
  fuwu user locks
  fuwu user unlock NAME [--ip ADDRESS]     (or: fuwu user unlock --ip ADDRESS)

The password is asked for twice on a terminal; with --password-stdin it is read
from the first line of standard input (for scripts). Every change is recorded in
the audit trail as done by "cli:" and the operating-system user.`)
	}
	if len(args) == 0 {
		usage()
		return &exitError{code: 2}
	}
	sub, args := args[0], args[1:]
	fs := newFlags("user "+sub, std.err)
	var sf storeFlags
	sf.bind(fs)
	role := fs.String("role", "", "role: admin, editor, reviewer, agent or teacher")
	display := fs.String("display", "", "display name shown in the console")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	disable := fs.Bool("disable", false, "disable the account (set)")
	enable := fs.Bool("enable", false, "enable the account (set)")
	ip := fs.String("ip", "", "client address whose login lock to lift (unlock)")
	fs.Usage = usage
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	s := auth.NewStore(db)
	trail := audit.New(db).WithSuite(auditSuite(sf))
	record := func(action, target string, details map[string]any) error {
		if _, err := trail.Record(ctx, audit.Entry{Actor: cliActor(), Role: "cli", Action: action, Target: target, Details: details}); err != nil {
			return fmt.Errorf("audit %s: %w", action, err)
		}
		return nil
	}
	needName := func() (string, error) {
		if len(pos) != 1 {
			usage()
			return "", &exitError{code: 2}
		}
		return pos[0], nil
	}
	switch sub {
	case "add":
		name, err := needName()
		if err != nil {
			return err
		}
		r, err := auth.ParseRole(*role)
		if err != nil {
			return err
		}
		pw, err := readPassword(*stdin, std.in, std)
		if err != nil {
			return err
		}
		u, err := s.AddUser(ctx, name, *display, r, pw)
		if err != nil {
			return err
		}
		if err := record("user.add", "user:"+u.Username, map[string]any{"role": string(u.Role)}); err != nil {
			return err
		}
		fmt.Fprintf(std.out, "已创建账号 %s（%s）\n", u.Username, u.Role.Label())
	case "list":
		users, err := s.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "启用"
			if u.Disabled {
				state = "停用"
			}
			last := "从未登录"
			if !u.LastLoginAt.IsZero() {
				last = u.LastLoginAt.In(sf.location()).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(std.out, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.DisplayName, state, last)
		}
	case "passwd":
		name, err := needName()
		if err != nil {
			return err
		}
		u, err := s.UserByName(ctx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pw, err := readPassword(*stdin, std.in, std)
		if err != nil {
			return err
		}
		if err := s.SetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		if err := record("user.password", "user:"+u.Username, nil); err != nil {
			return err
		}
		fmt.Fprintf(std.out, "已修改 %s 的密码\n", u.Username)
	case "set":
		name, err := needName()
		if err != nil {
			return err
		}
		u, err := s.UserByName(ctx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if *role != "" {
			if u.Role, err = auth.ParseRole(*role); err != nil {
				return err
			}
		}
		if *display != "" {
			u.DisplayName = *display
		}
		if *disable {
			u.Disabled = true
		}
		if *enable {
			u.Disabled = false
		}
		if err := s.UpdateUser(ctx, u.ID, u.DisplayName, u.Role, u.Disabled); err != nil {
			return err
		}
		if err := record("user.update", "user:"+u.Username, map[string]any{"role": string(u.Role), "disabled": u.Disabled}); err != nil {
			return err
		}
		fmt.Fprintf(std.out, "已更新 %s\n", u.Username)
	case "locks":
		locks, err := auth.NewLoginGuard(db).Locks(ctx)
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
			fmt.Fprintf(std.out, "%s\t%s\t至 %s\n", who, l.IP, l.Until.In(sf.location()).Format("2006-01-02 15:04"))
		}
	case "unlock":
		name := ""
		if len(pos) > 1 || len(pos) == 0 && *ip == "" {
			usage()
			return &exitError{code: 2}
		}
		if len(pos) == 1 {
			name = pos[0]
		}
		n, err := auth.NewLoginGuard(db).Unlock(ctx, name, *ip)
		if err != nil {
			return err
		}
		target := "user:" + name
		if name == "" {
			target = "ip:" + *ip
		}
		if err := record("user.unlock", target, map[string]any{"ip": *ip}); err != nil {
			return err
		}
		fmt.Fprintf(std.out, "已解除锁定（%d 条登录记录）\n", n)
	default:
		usage()
		return &exitError{code: 2}
	}
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
// first line of r.
func readPassword(fromStdin bool, r io.Reader, std stdio) (string, error) {
	if fromStdin || !term.IsTerminal(int(os.Stdin.Fd())) {
		line, err := bufio.NewReader(r).ReadString('\n')
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
	a, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(std.err)
	if err != nil {
		return "", err
	}
	fmt.Fprint(std.err, "再输入一次：")
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(std.err)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("两次输入的密码不一致")
	}
	return string(a), nil
}
