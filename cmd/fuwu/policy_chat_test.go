package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// chatter plays one conversation with the app's assistant.
type chatter struct {
	t    *testing.T
	a    *app
	conv string
}

func (c *chatter) say(msg string) assistant.Reply {
	c.t.Helper()
	r, err := c.a.assistant.Ask(context.Background(), assistant.Request{ConversationID: c.conv, Message: msg, Channel: "test"})
	if err != nil {
		c.t.Fatalf("%q: %v", msg, err)
	}
	c.conv = r.ConversationID
	return r
}

// "我爸85岁了能领什么补贴" starts the eligibility dialogue: it asks the
// missing facts one at a time, takes "不清楚", re-asks an answer it cannot
// read, and answers with the result, the amounts, the conditions with
// their clauses, the document and the item; nothing said is stored
// unmasked. On both engines, through the same app serve runs.
func TestChatEligibilityDialogue(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			a, err := openApp(ctx, storeFlags{data: t.TempDir(), db: storetest.URL(t, d)}, llm.Config{}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer a.close()
			c := &chatter{t: t, a: a}
			r := c.say("我爸85岁了能领什么补贴")
			if r.Status != assistant.Clarify || !strings.Contains(r.Answer, "户口在哪个城市？") || !contains(r.Suggestions, "不清楚") {
				t.Fatalf("first turn: %s %q %v", r.Status, r.Answer, r.Suggestions)
			}
			var last assistant.Reply
			answers := map[string]string{"户口在哪个城市": "深圳", "户口在深圳哪个区": "福田区", "残疾证上是几级": "没有", "享受低保": "否",
				"低收入家庭": "不是", "特困人员": "不是", "一个人居住": "不是", "自有住房": "有", "月人均收入": "大概3000块"}
			for turn := 0; turn < 8; turn++ {
				if r.Status == assistant.Answered {
					last = r
					break
				}
				q := r.Answer[strings.LastIndex(r.Answer, "\n")+1:]
				reply := "不清楚"
				for k, v := range answers {
					if strings.Contains(q, k) {
						reply = v
					}
				}
				r = c.say(reply)
			}
			t.Logf("result:\n%s", last.Answer)
			if last.Answer == "" {
				t.Fatalf("no result after eight questions: %q", r.Answer)
			}
			for _, want := range []string{"符合条件", "《高龄老人津贴》：每月津贴 200元/月", "年满80周岁（第三条）✔", "福民〔2024〕3号", "《长者助餐补贴》", "以受理部门审核为准"} {
				if !strings.Contains(last.Answer, want) {
					t.Errorf("result lacks %q:\n%s", want, last.Answer)
				}
			}
			if strings.Contains(last.Answer, "百岁老人长寿保健金》：") {
				t.Errorf("an 85-year-old is told of the centenarians' allowance:\n%s", last.Answer)
			}
			if len(last.Citations) == 0 || last.Citations[0].ID != "FT-034" || last.Route == nil {
				t.Errorf("citations %v route %v", last.Citations, last.Route)
			}
			// Nothing the resident said about themselves is in the
			// transcript or the dialogue state in the clear.
			var turns []string
			rows, err := a.db.Query(ctx, `SELECT question || ' ' || answer FROM convo_turns`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				turns = append(turns, s)
			}
			rows.Close()
			all := strings.Join(turns, "\n")
			for _, said := range []string{"85岁", "福田区\n", "3000"} {
				if strings.Contains(all, said) {
					t.Errorf("the transcript keeps %q:\n%s", said, all)
				}
			}
			if !strings.Contains(all, "［年龄已隐去］") {
				t.Errorf("the first question is not kept with the age hidden:\n%s", all)
			}
			var state string
			if err := a.db.QueryRow(ctx, `SELECT state FROM assistant_state WHERE conversation_id = ?`, c.conv).Scan(&state); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(state, "深圳") || strings.Contains(state, "1941") {
				t.Errorf("the dialogue state keeps a fact in the clear: %s", state)
			}

			// "我这种情况能申请X吗" checks X alone, answering about its item.
			c2 := &chatter{t: t, a: a}
			r = c2.say("我妈今年90岁了，我这种情况能申请高龄津贴吗")
			if r.Status != assistant.Answered || len(r.Citations) == 0 || r.Citations[0].ID != "FT-034" || !strings.Contains(r.Answer, "《高龄老人津贴》") {
				t.Fatalf("named policy: %s %v %q", r.Status, r.Citations, r.Answer)
			}
			r = c2.say("深圳户口")
			if !strings.Contains(r.Answer, "每月津贴 500元/月") || strings.Contains(r.Answer, "长者助餐") {
				t.Errorf("named result: %q", r.Answer)
			}
			// Facts said in passing are taken, and kept out of the record.
			c5 := &chatter{t: t, a: a}
			r = c5.say("我是退役军人，能享受什么优待政策")
			var q string
			if err := a.db.QueryRow(ctx, `SELECT question FROM convo_turns WHERE conversation_id = ?`, c5.conv).Scan(&q); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(q, "退役军人") {
				t.Errorf("the transcript keeps a fact: %q", q)
			}
			for i := 0; i < 8 && r.Status != assistant.Answered; i++ {
				r = c5.say("不清楚")
			}
			if !strings.Contains(section(r.Answer, "符合条件", "可能符合"), "《退役军人优待》") {
				t.Errorf("the fact said in passing is not taken:\n%s", r.Answer)
			}
			// An answer that is not one is asked again, then the dialogue
			// gives way to the question asked instead.
			c3 := &chatter{t: t, a: a}
			c3.say("我能领什么补贴")
			if r := c3.say("好吧"); !strings.Contains(r.Answer, "没有听明白") {
				t.Errorf("a non-answer is not asked again: %q", r.Answer)
			}
			if r := c3.say("身份证丢了怎么补办，要带什么材料"); r.Status != assistant.Answered || len(r.Citations) == 0 || r.Citations[0].ID == "FT-034" {
				t.Errorf("another question during the dialogue: %s %v %q", r.Status, r.Citations, r.Answer)
			}
			// A question about how to apply is not an eligibility question.
			c4 := &chatter{t: t, a: a}
			if r := c4.say("高龄津贴网上能申请吗"); r.Aspect != assistant.Online || r.Citations[0].ID != "FT-034" {
				t.Errorf("how-to question taken as eligibility: %s %s %q", r.Status, r.Aspect, r.Answer)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// section is the part of s from the first from to the next to (or the end).
func section(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s[len(from):], to); j >= 0 {
		return s[:len(from)+j]
	}
	return s
}

// Facts said outright are taken; the same words inside a policy's name
// are not a fact.
func TestPolicyChatFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := openApp(ctx, storeFlags{data: t.TempDir()}, llm.Config{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	c := &policyChat{live: a.policy.live, keys: a.services.keys, now: a.policy.lib.Today}
	for _, tc := range []struct {
		text string
		want map[string]string
	}{
		{"我是退役军人，能享受什么优待政策", map[string]string{"veteran": "是"}},
		{"我爸独居，能领什么补贴", map[string]string{"lives_alone": "是"}},
		{"我妈不独居，能领什么补贴", map[string]string{"lives_alone": "否"}},
		{"我能申请独居老人紧急呼叫设备吗", map[string]string{}},
		{"能领什么补贴", map[string]string{}},
	} {
		got := c.Facts("person", tc.text)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
	if got := c.Find("我这种情况能申请高龄津贴吗"); len(got) != 1 || got[0].ID != "POL-101" {
		t.Errorf("find 高龄津贴 = %v", got)
	}
	if got := c.Find("听说有一次性的创业补贴，我能领吗"); len(got) == 0 || got[0].ID != "POL-116" {
		t.Errorf("find 创业补贴 = %v", got)
	}
	if got := c.Find("能申请补贴吗"); len(got) != 0 {
		t.Errorf("generic words find %v", got)
	}
}
