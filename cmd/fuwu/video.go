package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/video"
	"github.com/fuwu-gov/fuwu/internal/web"
)

// videoFlags are fuwu serve's 视频导办 settings.
type videoFlags struct {
	on        *bool
	items     *string
	hall      *string
	turnAddr  *string
	relayIP   *string
	iceURLs   *string
	iceSecret *string
	relay     *bool
	record    *int
}

func (f *videoFlags) bind(fs *flag.FlagSet) {
	f.on = fs.Bool("video", true, "offer 视频导办: residents' video calls with clerks")
	f.items = fs.String("video-items", "", "item ids whose pages offer a video call, comma-separated (empty: every item)")
	f.hall = fs.String("video-hall", "", "the hall clerks answer from unless they name another")
	f.turnAddr = fs.String("turn-addr", "127.0.0.1:3478", "embedded TURN server's UDP address (empty: none)")
	f.relayIP = fs.String("turn-relay-ip", "", "the address the embedded TURN server tells peers to send media to")
	f.iceURLs = fs.String("ice-urls", "", "the district's TURN/STUN servers, comma-separated turn:…/stun:… URLs")
	f.iceSecret = fs.String("ice-secret", "", "shared secret of the district's TURN servers (coturn static-auth-secret)")
	f.relay = fs.Bool("ice-relay", false, "send every call through TURN (iceTransportPolicy relay)")
	f.record = fs.Int("video-record-days", 0, "record calls whose resident consents, sealed, deleted after this many days (0: never record)")
}

// videoApp is the running 视频导办: the service and the embedded TURN
// server, if any.
type videoApp struct {
	svc  *video.Service
	turn *video.TURN
}

func (v *videoApp) close() {
	if v == nil {
		return
	}
	if v.turn != nil {
		v.turn.Close()
	}
	v.svc.Close()
}

// startVideo builds 视频导办 and its sweeper (until ctx ends); nil when
// --video=false.
func startVideo(ctx context.Context, a *app, f videoFlags) (*videoApp, error) {
	if !*f.on {
		return nil, nil
	}
	if *f.record < 0 || *f.record > 3650 {
		return nil, fmt.Errorf("--video-record-days: 0 (off) to 3650, got %d", *f.record)
	}
	secrets := auth.NewStore(a.db)
	key, err := secrets.Secret(ctx, "video")
	if err != nil {
		return nil, err
	}
	iceSecret := []byte(*f.iceSecret)
	if len(iceSecret) == 0 {
		if iceSecret, err = secrets.Secret(ctx, "turn"); err != nil {
			return nil, err
		}
	}
	if len(iceSecret) < 16 {
		return nil, fmt.Errorf("--ice-secret: at least 16 characters")
	}
	ice := &video.ICE{Secret: iceSecret, Relay: *f.relay, Now: now}
	for _, u := range strings.Split(*f.iceURLs, ",") {
		switch u = strings.TrimSpace(u); {
		case u == "":
		case strings.HasPrefix(u, "turn:") || strings.HasPrefix(u, "turns:"):
			ice.TURN = append(ice.TURN, u)
		case strings.HasPrefix(u, "stun:") || strings.HasPrefix(u, "stuns:"):
			ice.STUN = append(ice.STUN, u)
		default:
			return nil, fmt.Errorf("--ice-urls: %q is not a turn: or stun: URL", u)
		}
	}
	v := &videoApp{}
	if *f.turnAddr != "" {
		if v.turn, err = video.StartTURN(video.TURNConfig{Listen: *f.turnAddr, RelayIP: *f.relayIP, Secret: iceSecret, Now: now}); err != nil {
			return nil, fmt.Errorf("%w (--turn-addr chooses another address, --turn-addr= runs none)", err)
		}
		ice.TURN = append([]string{v.turn.URL()}, ice.TURN...)
		slog.Info("视频导办 TURN serving", "url", v.turn.URL())
	}
	suite := a.services.keys.Suite()
	v.svc, err = video.New(a.db, video.Config{Key: key, Suite: suite, ICE: ice, Cards: web.VideoCards{KB: a.kb},
		Audit: audit.New(a.db).WithClock(now, a.zone).WithSuite(suite), Location: a.zone, Now: now,
		RecordDays: *f.record, Seal: a.services.keys})
	if err != nil {
		v.close()
		return nil, err
	}
	if v.svc.Recording() {
		slog.Info("视频导办 records calls whose resident consents", "retention_days", *f.record)
	}
	go v.svc.Run(ctx, 0)
	return v, nil
}

// web wires 视频导办 into the server's configuration.
func (v *videoApp) web(cfg *web.Config, f videoFlags) {
	if v == nil {
		return
	}
	cfg.Video, cfg.VideoHall = v.svc, strings.TrimSpace(*f.hall)
	for _, id := range strings.Split(*f.items, ",") {
		if id = strings.TrimSpace(id); id != "" {
			cfg.VideoItems = append(cfg.VideoItems, id)
		}
	}
}
