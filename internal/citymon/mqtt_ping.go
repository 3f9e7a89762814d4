package citymon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// PingBroker connects to the broker at url once (a throwaway clean
// session, no retry) and disconnects: whether Fuwu could subscribe there.
func PingBroker(ctx context.Context, url string) error {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	o, err := MQTTConfig{URL: url, ClientID: "fuwu-doctor-" + hex.EncodeToString(b)}.options()
	if err != nil {
		return err
	}
	o.SetCleanSession(true)
	o.SetAutoReconnect(false)
	o.SetConnectRetry(false)
	if dl, ok := ctx.Deadline(); ok {
		o.SetConnectTimeout(time.Until(dl))
	}
	c := mqtt.NewClient(o)
	tok := c.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		return fmt.Errorf("MQTT %s: %w", url, ctx.Err())
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("MQTT %s: %w", url, err)
	}
	c.Disconnect(100)
	return nil
}
