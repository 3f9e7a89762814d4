package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Arch reports the platform the binary runs on and its build.
func Arch(version string) Check {
	return Check{Name: "架构", Run: func(context.Context) Result {
		return Result{Status: OK, Detail: fmt.Sprintf("%s/%s，%d 核，fuwu %s（%s）", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), version, runtime.Version())}
	}}
}

// Database opens the store at url (an SQLite file that does not exist is
// reported, not created), names the server and lists migrations not yet
// applied.
func Database(url string, sets []store.Migrations) Check {
	return Check{Name: "数据库", Run: func(ctx context.Context) Result {
		if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				return Result{Status: Warn, Detail: "SQLite 数据库尚未创建：" + path,
					Fix: "首次运行 fuwu serve（或 fuwu import）会创建并迁移它；多副本部署请用 --db postgres://…"}
			}
		}
		db, err := store.Open(ctx, url)
		if err != nil {
			return Result{Status: Fail, Detail: "无法连接：" + err.Error(),
				Fix: "检查 --db（FUWU_DB）的地址、账号与网络；openGauss/KingbaseES 见 docs/databases.md"}
		}
		defer db.Close()
		var server string
		q := `SELECT version()`
		if db.Dialect == store.SQLite {
			q = `SELECT 'SQLite ' || sqlite_version()`
		}
		if err := db.QueryRow(ctx, q).Scan(&server); err != nil {
			return Result{Status: Fail, Detail: "已连接，但查询失败：" + err.Error()}
		}
		if len(server) > 60 {
			server = server[:60] + "…"
		}
		if db.Flavor != "" && db.Flavor != store.PostgreSQL {
			server += "（按 " + string(db.Flavor) + " 处理）"
		}
		pending, err := db.Pending(ctx, sets...)
		if err != nil {
			return Result{Status: Fail, Detail: server + "；读取迁移记录失败：" + err.Error()}
		}
		if len(pending) > 0 {
			more := ""
			if len(pending) > 3 {
				more = fmt.Sprintf(" 等 %d 项", len(pending))
			}
			return Result{Status: Warn, Detail: fmt.Sprintf("%s；尚有迁移未执行：%s%s", server, strings.Join(pending[:min(3, len(pending))], "，"), more),
				Fix: "启动 fuwu serve 会自动执行迁移（多副本时只有一个执行）"}
		}
		return Result{Status: OK, Detail: server + "；迁移已全部执行"}
	}}
}

// DataDir checks the data folder: present, a folder, private (0700),
// owned by this user, writable, with free space.
func DataDir(dir string) Check {
	return Check{Name: "数据目录", Run: func(context.Context) Result {
		st, err := os.Stat(dir)
		if errors.Is(err, os.ErrNotExist) {
			return Result{Status: Warn, Detail: dir + " 不存在", Fix: "首次运行时创建（权限 0700）；或预先 install -d -m 0700 " + dir}
		}
		if err != nil {
			return Result{Status: Fail, Detail: err.Error()}
		}
		if !st.IsDir() {
			return Result{Status: Fail, Detail: dir + " 不是目录", Fix: "--data 应指向一个目录"}
		}
		var problems, fixes []string
		if st.Mode().Perm()&0o077 != 0 {
			problems = append(problems, fmt.Sprintf("权限 %04o，其他用户可读", st.Mode().Perm()))
			fixes = append(fixes, "chmod 700 "+dir+"（其中有数据库和密钥）")
		}
		if s, ok := st.Sys().(*syscall.Stat_t); ok && int(s.Uid) != os.Getuid() {
			problems = append(problems, fmt.Sprintf("属主 uid %d，不是当前用户 %d", s.Uid, os.Getuid()))
			fixes = append(fixes, "chown -R 运行 fuwu 的用户 "+dir)
		}
		if syscall.Access(dir, 2) != nil { // W_OK
			problems = append(problems, "不可写")
			fixes = append(fixes, "让运行 fuwu 的用户可写入 "+dir)
		}
		free := freeBytes(dir)
		detail := dir
		if free >= 0 {
			detail += fmt.Sprintf("，可用空间 %.1f GB", float64(free)/(1<<30))
			if free < 1<<30 {
				problems = append(problems, "可用空间不足 1 GB")
				fixes = append(fixes, "清理磁盘或把 --data 放到更大的分区")
			}
		}
		if len(problems) > 0 {
			return Result{Status: Warn, Detail: detail + "：" + strings.Join(problems, "；"), Fix: strings.Join(fixes, "\n")}
		}
		return Result{Status: OK, Detail: detail + "，权限 0700"}
	}}
}

// Keys checks the secret keyring: present (secret, the value of
// $FUWU_SECRET_KEY the caller read, or the data folder), readable,
// private, of which suite, and backed up.
func Keys(dataDir, secret, want string) Check {
	return Check{Name: "密钥", Run: func(context.Context) Result {
		var keys *privacy.Keys
		var where string
		if v := strings.TrimSpace(secret); v != "" {
			k, err := privacy.ParseKeyring(v)
			if err != nil {
				return Result{Status: Fail, Detail: "$" + privacy.KeyEnv + "：" + err.Error()}
			}
			keys, where = k, "$"+privacy.KeyEnv
		} else {
			path := filepath.Join(dataDir, privacy.KeyFile)
			b, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				fix := "首次运行时生成；之后立即运行 fuwu key backup --out 离线介质上的文件"
				if want == "gm" {
					fix = "首次以 --crypto gm 运行时生成 SM4 密钥；之后立即运行 fuwu key backup --out 离线介质上的文件"
				}
				return Result{Status: Warn, Detail: "尚无密钥：" + path, Fix: fix}
			}
			if err != nil {
				return Result{Status: Fail, Detail: err.Error()}
			}
			if k, err := privacy.ParseKeyring(string(b)); err != nil {
				return Result{Status: Fail, Detail: path + "：" + err.Error(), Fix: "从备份恢复密钥环（fuwu key backup 写出的文件）"}
			} else {
				keys, where = k, path
			}
			if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
				return Result{Status: Warn, Detail: fmt.Sprintf("%s 权限 %04o", path, st.Mode().Perm()), Fix: "chmod 600 " + path}
			}
		}
		info := keys.Keys()
		cur := info[len(info)-1]
		detail := fmt.Sprintf("%s：%d 个密钥，当前 key %d（%s）", where, len(info), cur.ID, cur.Suite.Describe())
		if want != "" && cur.Suite.String() != want {
			return Result{Status: Fail, Detail: detail + "，但 --crypto " + want,
				Fix: "fuwu key rotate --crypto " + want + "，再 fuwu key reseal"}
		}
		at, to, current, ok, err := privacy.LastBackup(dataDir, keys)
		switch {
		case err != nil:
			return Result{Status: Warn, Detail: detail + "；备份记录无法读取：" + err.Error()}
		case !ok:
			return Result{Status: Warn, Detail: detail + "；没有备份记录",
				Fix: "fuwu key backup --out 离线介质上的文件（丢失密钥＝加密的个人信息全部无法读取）"}
		case !current:
			return Result{Status: Warn, Detail: detail + fmt.Sprintf("；%s 的备份之后密钥环已变化", at.Format(time.DateOnly)),
				Fix: "重新运行 fuwu key backup --out …"}
		}
		return Result{Status: OK, Detail: detail + fmt.Sprintf("；已于 %s 备份到 %s", at.Format(time.DateOnly), to)}
	}}
}

// gbFonts are the fonts GB/T 9704 documents are set in (the names the
// exported .docx asks for) and the family names systems know them by.
var gbFonts = []struct {
	name    string
	aliases []string
}{
	{"仿宋_GB2312", []string{"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"}},
	{"方正小标宋简体", []string{"方正小标宋简体", "FZXiaoBiaoSong-B05S"}},
	{"黑体", []string{"黑体", "SimHei"}},
	{"楷体_GB2312", []string{"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"}},
}

// Fonts checks the fonts exported official documents name, from the
// family list fcList returns (fc-list :lang=zh family). The server itself
// draws nothing; the fonts matter where documents are converted or
// printed, so a missing one is a warning.
func Fonts(fcList func(ctx context.Context) (string, error)) Check {
	return Check{Name: "字体", Run: func(ctx context.Context) Result {
		out, err := fcList(ctx)
		if err != nil {
			return Result{Status: Warn, Detail: "无法列出字体（fontconfig 未安装？）：" + err.Error(),
				Fix: "apt-get install fontconfig fonts-noto-cjk；公文字体见下一次检查"}
		}
		var missing []string
		for _, f := range gbFonts {
			found := false
			for _, a := range f.aliases {
				found = found || strings.Contains(out, a)
			}
			if !found {
				missing = append(missing, f.name)
			}
		}
		cjk := strings.Contains(out, "Noto Sans CJK") || strings.Contains(out, "Noto Serif CJK") || strings.Contains(out, "WenQuanYi") || strings.Contains(out, "Source Han")
		switch {
		case len(missing) == 0:
			return Result{Status: OK, Detail: "公文字体齐全（仿宋_GB2312、方正小标宋简体、黑体、楷体_GB2312）"}
		case cjk:
			return Result{Status: Warn, Detail: "缺少 " + strings.Join(missing, "、") + "；有 CJK 替代字体，导出的 .docx 在本机转换/打印时会替换",
				Fix: "在打开、打印公文的电脑上（以及本机若要转 PDF）安装这些字体（需取得授权）"}
		}
		return Result{Status: Warn, Detail: "没有任何中文字体；缺少 " + strings.Join(missing, "、"),
			Fix: "apt-get install fonts-noto-cjk，并在打印公文的电脑上安装公文字体"}
	}}
}

// Model asks the configured model one short question and reports how long
// it took and what it said.
func Model(cfg llm.Config) Check {
	return Check{Name: "模型", Run: func(ctx context.Context) Result {
		if cfg.BaseURL == "" {
			return Result{Status: Skip, Detail: "未配置模型：助手只用知识库作答（可用 --llm-base-url/--llm-model 配置）"}
		}
		c, err := llm.New(cfg)
		if err != nil {
			return Result{Status: Fail, Detail: err.Error()}
		}
		if !c.HasChat() {
			return Result{Status: Fail, Detail: "已配置 " + cfg.BaseURL + "，但没有模型名", Fix: "设置 --llm-model（FUWU_LLM_MODEL）"}
		}
		start := time.Now()
		resp, err := c.Chat(ctx, llm.ChatRequest{Messages: []llm.Message{{Role: "user", Content: "请只回答两个字：你好"}}, MaxTokens: 16, Temperature: llm.Temperature(0)})
		took := time.Since(start).Round(10 * time.Millisecond)
		if err != nil {
			return Result{Status: Fail, Detail: fmt.Sprintf("%s（%s）无应答：%v", cfg.BaseURL, c.Model(), err),
				Fix: "检查地址、API key 与模型名；模型不可用时助手自动退回知识库作答"}
		}
		ans := []rune(strings.TrimSpace(resp.Content))
		if len(ans) > 30 {
			ans = append(ans[:30], '…')
		}
		return Result{Status: OK, Detail: fmt.Sprintf("%s（%s）%s 内答：「%s」", cfg.BaseURL, resp.Model, took, string(ans))}
	}}
}

// MQTT connects to the broker, when one is configured.
func MQTT(url string) Check {
	return Check{Name: "MQTT", Run: func(ctx context.Context) Result {
		if url == "" {
			return Result{Status: Skip, Detail: "未配置 MQTT（城市运行数据经 --mqtt-url 接入时才需要）"}
		}
		if err := citymon.PingBroker(ctx, url); err != nil {
			return Result{Status: Fail, Detail: err.Error(), Fix: "检查 --mqtt-url（FUWU_MQTT_URL）、账号与防火墙"}
		}
		return Result{Status: OK, Detail: url + " 可连接"}
	}}
}

// Clock reports the time in the configured zone and whether the system
// clock is synchronised (synced: ok says whether that could be told).
func Clock(now time.Time, zone *time.Location, synced func(ctx context.Context) (bool, bool)) Check {
	return Check{Name: "时钟", Run: func(ctx context.Context) Result {
		t := now.In(zone)
		name, off := t.Zone()
		detail := fmt.Sprintf("%s %s（%s，UTC%+d）", t.Format("2006-01-02 15:04:05"), name, zone, off/3600)
		s, known := synced(ctx)
		switch {
		case !known:
			return Result{Status: Warn, Detail: detail + "；无法判断系统时钟是否已同步",
				Fix: "确认 chrony 或 systemd-timesyncd 在运行（预约、审计记录依赖准确时间）"}
		case !s:
			return Result{Status: Warn, Detail: detail + "；系统时钟未同步", Fix: "启用 NTP：timedatectl set-ntp true，或配置内网 NTP 服务器"}
		}
		return Result{Status: OK, Detail: detail + "；系统时钟已同步"}
	}}
}
