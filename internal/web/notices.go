package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// A page reached by a redirect after a form is told what to show by code,
// never by text: ?ok=CODE or ?err=CODE. The message comes from notices
// (?ok=), or problems and the declared refusals ("booking.full", ?err=). A code
// in neither shows nothing, so a crafted link cannot put a sentence on the
// site. A notice that names what was done (an account, a word, a booking
// code) carries that name in ?v=, signed by the server in ?vs=; an
// unsigned or altered name shows nothing.
var notices = map[string]string{
	// Accounts.
	"user.added":    "已创建账号 %s",
	"user.updated":  "已更新账号 %s",
	"user.password": "已重设 %s 的密码",
	// Items and their revisions.
	"item.draft":         "已保存为草稿",
	"item.review":        "已保存并提交审核",
	"item.published":     "已保存并发布，智能咨询即时生效",
	"item.status":        "状态已变更为%s",
	"item.status_live":   "状态已变更为%s，智能咨询即时生效",
	"revision.draft":     "修订已保存为草稿；审核发布前，智能咨询继续使用已发布版本",
	"revision.review":    "修订已提交审核；审核发布前，智能咨询继续使用已发布版本",
	"revision.submitted": "修订已提交审核",
	"revision.returned":  "修订已退回修改",
	"revision.published": "修订已发布，替换原发布版本，智能咨询即时生效",
	"revision.discarded": "修订已放弃，已发布版本不变",
	// FAQ.
	"faq.saved": "问答 #%s 已保存（%s）",
	// Learning from unanswered questions.
	"learn.published": "已生成%s并发布，智能咨询即时生效",
	"learn.review":    "已生成%s，提交审核；审核发布后智能咨询生效",
	"synonym.status":  "同义词状态已变更为%s",
	"scope.status":    "婉拒或追问规则状态已变更为%s",
	// Halls.
	"hall.created":   "服务大厅已创建",
	"hall.submitted": "修改已提交审核；审核发布前，居民看到的仍是原信息",
	"hall.published": "修改已发布，即时生效",
	"hall.discarded": "已放弃该修改",
	// Sensitive words.
	"lexicon.added":         "已添加敏感词“%s”，智能咨询即时生效",
	"lexicon.updated":       "已更新敏感词“%s”，智能咨询即时生效",
	"lexicon.allow_added":   "已添加放行短语“%s”，智能咨询即时生效",
	"lexicon.allow_updated": "已更新放行短语“%s”，智能咨询即时生效",
	"lexicon.deleted":       "已删除“%s”，智能咨询即时生效",
	// Appointments.
	"booking.checked_in": "已签到：%s",
	"booking.no_show":    "已标记未到：%s",
	"booking.cancelled":  "已取消：%s",
	// Handoff tickets.
	"handoff.claimed": "已认领工单",
	"handoff.replied": "回复已发送，居民在对话页面可见",
	"handoff.closed":  "工单已关闭",
	// Door-to-door service.
	"video.thanks":          "感谢您的评价！",
	"video.left":            "已退出视频导办",
	"video.ended":           "通话已结束：%s",
	"doorstep.specialist":   "已添加服务专员：%s",
	"doorstep.synced":       "已从知识库同步：新增 %s 项，更新 %s 项，下架 %s 项",
	"doorstep.item_added":   "已加入上门目录：%s",
	"doorstep.item_updated": "已更新：%s",
	"doorstep.status":       "操作成功，当前状态：%s",
	// Policies, 免申即享 batches and the field schema.
	"policy.submitted":      "已提交审核",
	"policy.published":      "已发布，政策即刻生效",
	"policy.returned":       "已退回修改",
	"policy.withdrawn":      "已撤回，政策不再生效",
	"policy.batch_created":  "已生成发放名单，等待审核",
	"policy.batch_approved": "已审核通过，名单已冻结，计入统计",
	"policy.batch_returned": "已退回该名单",
	"policy.field_saved":    "字段已保存，政策计算器和智能咨询即刻按新设置提问",
	"policy.field_deleted":  "字段已删除",
	// City operations.
	"city.alert_ack":        "告警已确认。",
	"city.alert_close":      "告警已关闭。",
	"city.exceedance_ack":   "超标事件已确认，已转入处置。",
	"city.exceedance_close": "超标事件已关闭。",
	"city.device_saved":     "设备已保存。",
	"city.measure_saved":    "扬尘措施已记录。",
}

// problems are the messages ?err= may name besides the declared refusals:
// a step that failed for a reason with no refusal of its own.
var problems = map[string]string{
	"revision.publish_failed": "修订已保存，但未能发布：%s",
	"revision.refused":        "未完成：%s",
	"faq.incomplete":          "问题和回答都必须填写",
	"lexicon.missing":         "“%s”不在词库中（可能已被删除）。",
	"chat.busy":               serviceBusy,
}

// errNoAction answers a console form posted to an action that does not
// exist.
var errNoAction = refusal.Missing("web", "no_action", "没有这个操作")

// errBadAction answers a console form whose action field is not one the
// page offers (400, like a malformed form).
var errBadAction = refusal.Bad("web", "bad_action", "没有这个操作")

// errBadForm is a form body that cannot be parsed.
var errBadForm = refusal.Bad("web", "bad_form", "表单无效")

// notice is a message for a redirect: its code and the names it shows.
type notice struct {
	code string
	args []string
}

// noticeSig signs a notice's names with the server's key.
func (s *Server) noticeSig(n notice) string {
	m := hmac.New(sha256.New, s.noticeKey)
	m.Write([]byte(n.code))
	for _, a := range n.args {
		m.Write([]byte("\x00" + a))
	}
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// noticeQuery is the query that asks a page to show n as key ("ok" or
// "err").
func (s *Server) noticeQuery(key string, n notice) url.Values {
	q := url.Values{key: {n.code}}
	if len(n.args) > 0 {
		q["v"] = n.args
		q.Set("vs", s.noticeSig(n))
	}
	return q
}

// withNotice adds a notice to path's query.
func (s *Server) withNotice(path, key string, n notice) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + s.noticeQuery(key, n).Encode()
}

// noticeText is the message the query asks for under key, or "".
func (s *Server) noticeText(q url.Values, key string) string {
	code := q.Get(key)
	if code == "" {
		return ""
	}
	table := notices
	if key == "err" {
		table = problems
	}
	format, ok := table[code]
	if !ok {
		if key == "err" {
			if e, ok := refusal.Lookup(code); ok {
				return e.UserMessage()
			}
		}
		return ""
	}
	want := strings.Count(format, "%s")
	if want == 0 {
		return format
	}
	n := notice{code: code, args: q["v"]}
	if len(n.args) != want || !hmac.Equal([]byte(q.Get("vs")), []byte(s.noticeSig(n))) {
		return ""
	}
	args := make([]any, len(n.args))
	for i, a := range n.args {
		args[i] = a
	}
	return fmt.Sprintf(format, args...)
}

// back redirects to a console page to show a confirmation.
func (s *Server) back(w http.ResponseWriter, r *http.Request, path, code string, args ...string) {
	n := notice{code: code, args: args}
	http.Redirect(w, r, s.withNotice(path, "ok", n), http.StatusSeeOther)
}

// backRefused redirects to path to show a refusal (?err=its key); any
// other error is returned for fail, not put in a URL.
func (s *Server) backRefused(w http.ResponseWriter, r *http.Request, path string, err error) error {
	e, ok := refusal.As(err)
	if !ok {
		return err
	}
	http.Redirect(w, r, s.withNotice(path, "err", notice{code: e.Key()}), http.StatusSeeOther)
	return nil
}

// backError redirects to path to show one of the problems (?err=).
func (s *Server) backError(w http.ResponseWriter, r *http.Request, path, code string, args ...string) {
	n := notice{code: code, args: args}
	http.Redirect(w, r, s.withNotice(path, "err", n), http.StatusSeeOther)
}
