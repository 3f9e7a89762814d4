// Package web is Fuwu's HTTP front: the residents' chat page and its JSON
// and Server-Sent-Events API, the service catalogue, the staff console,
// operations endpoints (/healthz, /readyz, /metrics) and the embedded
// templates and static assets. Everything is served from the binary; no
// page loads anything from another origin.
//
// # Adding pages
//
// Every route is declared in routes.go, grouped by audience (residents'
// pages, residents' API, staff console, operations), with the permission
// it needs and the rate limit it counts against:
//
//	func (s *Server) bindBookingPages() {
//		s.public("POST /booking", s.bookingSubmit, s.perAddress)          // residents, rate limited
//	}
//	func (s *Server) bindBookingConsole() {
//		s.staff("GET /admin/booking", auth.ManageBookings, s.adminBooking) // console, needs a permission
//	}
//
// A handler is func(w, r) error: it answers, or returns why it could not,
// and Server.fail (errors.go) is the one place an error becomes an answer —
// a refusal (package refusal) its 4xx and message, anything else a logged
// 5xx. After a form, a handler redirects with s.back (a notice by code) or
// s.backRefused; a page never shows text from its URL (notices.go).
//
// Handlers render with s.render(w, r, status, "booking.html", page) where
// the template file (templates/booking.html) defines "title" and "content"
// and is laid out by templates/_layout.html (staff pages by the same layout
// with the console navigation). Every form includes {{template "csrf" .}}; every
// unsafe request outside /api/ is refused without a valid token. Static
// files go in static/ and are linked as /static/NAME. Scripts must be
// files: the Content-Security-Policy forbids inline script and style.
package web

import (
	"context"
	"embed"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/teaching"
	"github.com/fuwu-gov/fuwu/internal/video"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed openapi.yaml
var openAPI []byte

// Searcher finds items for the catalogue's search box (*search.Index).
type Searcher interface {
	Search(ctx context.Context, text string, k int) search.Result
}

// Transcriber turns recorded speech into text (an OpenAI-compatible
// /v1/audio/transcriptions endpoint).
type Transcriber interface {
	Transcribe(ctx context.Context, audio io.Reader, filename, contentType string) (string, error)
}

// Config is what the server is built from. KB, Auth and Assistant are
// required; the rest are optional and their pages or features disappear
// when nil.
type Config struct {
	KB            *kb.Store
	Auth          *auth.Store
	Assistant     assistant.Service
	Conversations Conversations     // transcripts and feedback
	Search        Searcher          // catalogue search; nil filters by name
	Transcriber   Transcriber       // voice upload; nil hides it
	Convo         *convo.Store      // console quality pages and handoff queue; nil hides them
	Audit         *audit.Log        // the audit trail; nil logs staff actions with slog only
	Metrics       *Metrics          // nil makes a fresh registry
	Booking       *booking.Service  // appointments; nil hides their pages and API
	Doorstep      *doorstep.Service // door-to-door service; nil hides its pages and API
	Policy        *PolicyServices   // policy library and matching; nil hides its pages
	Lexicon       Lexicon           // the sensitive-word lexicon page; nil hides it
	Stops         SensitiveProposer // what the lexicon stops in a wording (*assistant.Assistant), for the unanswered page's allow action; nil offers none
	City          *CityOps          // city operations: /city, its console pages, the sensors' HTTP API; nil hides them
	Greening      *GreeningOps      // greening maintenance (绿化管养) console and residents' tree reports; nil hides them
	Risk          *RiskOps          // waterlogging and fire risk: /admin/risk and the forecast API; nil hides them
	// Library is the document library (文库): its public collections at
	// /library, every collection a staff member's role may read at
	// /admin/library; nil hides both.
	Library *library.Library
	// Teaching is the teachers' assistant (/admin/teaching); nil hides it.
	Teaching *teaching.Store
	// Video is the video-guided service (视频导办): the residents' call
	// page, the clerks' console and figures; nil hides them.
	Video *video.Service
	// VideoItems are the items whose pages offer a video call; empty
	// means every item.
	VideoItems []string
	// VideoHall is the hall clerks answer from unless they name another.
	VideoHall string
	// DocModel writes draft bodies on the document pages and may add its
	// suggestions to a check; nil drafts from templates only.
	DocModel gongwen.Model

	// ChatRate is how many chat messages one client address may send per
	// minute (burst ChatBurst). Zero means 20 per minute, burst 10; a
	// negative rate turns the limit off (load tests).
	ChatRate  float64
	ChatBurst int
	// TrustProxy takes the client address from X-Forwarded-For / X-Real-IP
	// (set it only behind a reverse proxy that overwrites them).
	TrustProxy bool
	// SecureCookies marks cookies Secure (serving over HTTPS).
	SecureCookies bool
	// Crypto signs conversation capabilities, CSRF tokens and document
	// links: HMAC-SHA256, or HMAC-SM3 for cryptosuite.GM.
	Crypto cryptosuite.Suite
	// Ready reports whether the service can take traffic (/readyz); nil
	// checks the database only.
	Ready func(ctx context.Context) error
	// LoginGuard limits password guessing; nil counts in the accounts'
	// database: 5 attempts per account and address, 20 per address, per 15
	// minutes.
	LoginGuard *auth.LoginGuard
	// MetricsToken, when set, lets /metrics on the public address answer
	// requests carrying "Authorization: Bearer <token>"; when empty that
	// path is 404 and metrics are read from MetricsHandler on a separate
	// (internal) address.
	MetricsToken string
	// SiteName is shown in the header; default "福务 · AI 福务管家".
	SiteName string
	// Zone is the one zone every page shows times in and counts days in
	// (stored instants are UTC); default clock.Default (Asia/Shanghai).
	Zone *time.Location
	// Now is the clock; default time.Now. Tests fix it.
	Now func() time.Time
}

// Server is the HTTP application.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	tmpl    *templates
	csrf    *auth.CSRF
	convs   convCaps
	metrics *Metrics
	limiter *rateLimiter
	login   *auth.LoginGuard
	// bookingGuard counts residents' attempts to open a booking by its
	// code: 30 per address per 15 minutes.
	bookingGuard *auth.Throttle
	handler      http.Handler
	docs         *docsState
	city         *cityHub // the /city pages' change feed; nil without City
	// noticeKey signs the names a redirect's notice shows (notices.go).
	noticeKey []byte
	bound     []route // the route table as bound, in order
}

// New builds the server. ctx is used to fetch the CSRF key.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.KB == nil || cfg.Auth == nil || cfg.Assistant == nil {
		return nil, errors.New("web: KB, Auth and Assistant are required")
	}
	if cfg.Conversations == nil {
		return nil, errors.New("web: Conversations is required (web.NewConvoConversations)")
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.ChatRate == 0 {
		cfg.ChatRate = 20
	}
	if cfg.ChatBurst <= 0 {
		cfg.ChatBurst = 10
	}
	if cfg.LoginGuard == nil {
		cfg.LoginGuard = auth.NewLoginGuard(cfg.Auth.DB())
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "福务 · AI 福务管家"
	}
	if cfg.Zone == nil {
		cfg.Zone = clock.Default
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	key, err := cfg.Auth.Secret(ctx, "csrf")
	if err != nil {
		return nil, err
	}
	convKey, err := cfg.Auth.Secret(ctx, "conversation")
	if err != nil {
		return nil, err
	}
	noticeKey, err := cfg.Auth.Secret(ctx, "notice")
	if err != nil {
		return nil, err
	}
	tm, err := loadTemplates(cfg.Zone)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:          cfg,
		mux:          http.NewServeMux(),
		tmpl:         tm,
		csrf:         auth.NewCSRF(key).WithSuite(cfg.Crypto),
		convs:        newConvCaps(convKey, cfg.Crypto),
		metrics:      cfg.Metrics,
		limiter:      newRateLimiter(cfg.ChatRate/60, cfg.ChatBurst), // nil when the rate is negative
		login:        cfg.LoginGuard,
		bookingGuard: auth.NewThrottle(30, 15*time.Minute),
		noticeKey:    noticeKey,
	}
	if s.limiter != nil {
		s.limiter.now = cfg.Now
	}
	s.docs = &docsState{sem: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
	if cfg.City != nil {
		s.city = newCityHub(cfg.City.Store.DB(), cfg.Now)
	}
	s.routes()
	s.handler = s.recoverer(s.securityHeaders(s.observe(s.withIdentity(s.mux))))
	return s, nil
}

// now is the current instant in the display zone.
func (s *Server) now() time.Time { return s.cfg.Now().In(s.cfg.Zone) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Metrics is the server's metrics registry.
func (s *Server) Metrics() *Metrics { return s.metrics }

// audit records a staff action (who, role, address, what, on what) in the
// append-only audit log. actor overrides the logged-in user (the login
// itself, before the session exists).
func (s *Server) audit(r *http.Request, actor *auth.User, action, target string, details map[string]any) {
	ctx := r.Context()
	if actor == nil {
		actor = currentUser(r)
	}
	e := audit.Entry{Action: action, Target: target, Details: details, IP: clientIP(r)}
	if actor != nil {
		e.Actor, e.Role = actor.Username, string(actor.Role)
	}
	slog.InfoContext(ctx, "staff action", "actor", e.Actor, "action", action, "target", target)
	if s.cfg.Audit == nil {
		return
	}
	if _, err := s.cfg.Audit.Record(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit record failed", "err", err, "actor", e.Actor, "action", action, "target", target)
	}
}
