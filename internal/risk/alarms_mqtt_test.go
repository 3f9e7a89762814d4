package risk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// mqttBroker is the Mosquitto the project's machines run
// ($FUWU_TEST_MQTT overrides).
func mqttBroker() string {
	if u := os.Getenv("FUWU_TEST_MQTT"); u != "" {
		return u
	}
	return "mqtt://127.0.0.1:1883"
}

func uniqID(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// End to end over the real broker, as in fuwu serve --mqtt-url: a smoke
// detector publishes an alarm, the pipeline stores it, the city store
// announces it and the follower raises the alarm with the community's
// index; a low hydrant pressure published in kPa raises another; the
// detector's normal reading clears its alarm.
func TestSensorAlarmOverMQTT(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		f := newAlarmFixture(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := citymon.NewPipeline(f.city)
		piped := make(chan struct{})
		go func() { p.Run(ctx); close(piped) }()
		defer func() { cancel(); <-piped }()
		followed := make(chan struct{})
		go func() { f.runner.FollowAlarms(ctx, nil); close(followed) }()
		defer func() { cancel(); <-followed }()
		prefix := uniqID("fuwutest/") + "/"
		sub, err := citymon.Subscribe(ctx, citymon.MQTTConfig{URL: mqttBroker(), ClientID: uniqID("fuwu-risk-"), Topic: prefix + "#"}, p)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		pub, err := citymon.NewPublisher(ctx, citymon.MQTTConfig{URL: mqttBroker(), ClientID: uniqID("fuwu-risk-pub-")}, prefix)
		if err != nil {
			t.Fatal(err)
		}
		defer pub.Close()
		wait := func(what string, cond func([]FireAlarm) bool) []FireAlarm {
			t.Helper()
			deadline := time.Now().Add(30 * time.Second)
			for {
				open := f.open(t)
				if cond(open) {
					return open
				}
				if time.Now().After(deadline) {
					t.Fatalf("gave up waiting for %s: open %+v", what, open)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		if err := pub.Publish(ctx, "SD-1", []citymon.Reading{{Param: "smoke", Time: t0, Value: 1}}); err != nil {
			t.Fatal(err)
		}
		open := wait("the smoke alarm", func(a []FireAlarm) bool { return len(a) == 1 })
		if open[0].Device != "SD-1" || open[0].Community != "C1" || !(open[0].IndexAfter > open[0].IndexBefore) {
			t.Errorf("alarm %+v", open[0])
		}
		if err := pub.Publish(ctx, "HY-1", []citymon.Reading{{Param: "pressure", Time: t0, Value: 60, Unit: "kPa"}}); err != nil {
			t.Fatal(err)
		}
		wait("the hydrant alarm", func(a []FireAlarm) bool { return len(a) == 2 })
		f.clock.Set(t0.Add(10 * time.Minute))
		if err := pub.Publish(ctx, "SD-1", []citymon.Reading{{Param: "smoke", Time: t0.Add(10 * time.Minute), Value: 0}}); err != nil {
			t.Fatal(err)
		}
		open = wait("the smoke alarm to clear", func(a []FireAlarm) bool { return len(a) == 1 })
		if open[0].Device != "HY-1" || open[0].Community != "C2" {
			t.Errorf("left open %+v", open)
		}
	})
}
