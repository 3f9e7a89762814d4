package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/gongwen"
)

// With --crypto gm the server signs conversation capabilities and
// document payloads with HMAC-SM3; a standard server's signatures do not
// pass, nor the other way round.
func TestGMSignatures(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	gm := newEnv(t, db, &fakeAssistant{}, func(c *Config) { c.Crypto = cryptosuite.GM })
	std := newEnv(t, db, &fakeAssistant{}, nil)

	r := gm.client().postJSON("/api/v1/chat", map[string]string{"message": "生了孩子怎么上户口"})
	var rep struct {
		ID    string `json:"conversation_id"`
		Token string `json:"conversation_token"`
	}
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil || rep.Token == "" {
		t.Fatalf("chat = %d %s", r.code, r.body)
	}
	key, err := gm.auth.Secret(context.Background(), "conversation")
	if err != nil {
		t.Fatal(err)
	}
	m := cryptosuite.GM.MAC(key)
	m.Write([]byte("conversation\x00" + rep.ID))
	if want := base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24]); rep.Token != want {
		t.Fatalf("token %s is not HMAC-SM3 (%s)", rep.Token, want)
	}
	if !gm.s.convs.valid(rep.ID, rep.Token) || std.s.convs.valid(rep.ID, rep.Token) {
		t.Fatal("capability accepted by the wrong suite or refused by its own")
	}

	ctx := context.Background()
	doc := &gongwen.Document{Title: "关于开展政务服务测试的通知"}
	payload, sig, err := gm.s.signDoc(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := gm.s.openDoc(ctx, payload, sig); err != nil || got.Title != doc.Title {
		t.Fatalf("gm openDoc: %v", err)
	}
	if _, err := std.s.openDoc(ctx, payload, sig); err == nil {
		t.Fatal("an HMAC-SM3 document signature passed HMAC-SHA256")
	}
}
