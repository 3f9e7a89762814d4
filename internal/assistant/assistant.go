package assistant

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the assistant's schema (dialogue state, sensitive words).
var Migrations = store.Migrations{Component: "assistant", FS: migrationFS, Dir: "migrations"}

// Halls gives the service halls an answer routes to.
type Halls interface {
	Hall(ctx context.Context, id string) (kb.Hall, bool)
}

// Message is one chat message sent to a model.
type Message struct {
	Role    string `json:"role"` // system, user, assistant
	Content string `json:"content"`
}

// Model writes answers: an OpenAI-compatible chat endpoint. Stream calls
// onToken with each piece as it arrives and returns the whole text.
type Model interface {
	Stream(ctx context.Context, msgs []Message, onToken func(string)) (string, error)
}

// TurnRecord is what is kept of a turn. Every text in it is masked.
type TurnRecord struct {
	ConversationID string
	Channel        string
	Question       string
	Status         Status
	Aspect         Aspect
	Items          []string // cited item ids, first is the answer's
	Candidates     []string
	Answer         string
	Generated      bool
	// The implicit AI label of a model-written answer: generator, model
	// and time.
	Generator   string
	Model       string
	GeneratedAt time.Time
	Fallback    string // why a model answer was replaced, if it was
	Flags       []string
	Latency     time.Duration
	// Confidence of an answer decided on the message alone (Reply.Confidence).
	Confidence float64
}

// Recorder persists turns and opens handoff tickets (after recording the
// turn that asks for one, so the ticket's transcript includes it).
type Recorder interface {
	RecordTurn(ctx context.Context, t TurnRecord) (turnID int64, err error)
	OpenHandoff(ctx context.Context, conversationID string, turnID int64, reason string) (ticketID int64, err error)
}

// Config wires an assistant. Index and Halls are required.
type Config struct {
	Index    *search.Index
	Halls    Halls
	Analyzer *zh.Analyzer
	// Mask hides personal data (ID, phone and bank-card numbers) in text.
	// It runs before anything is stored, logged or sent to a model.
	// Default: privacy.Mask.
	Mask     func(string) string
	States   StateStore // default: in memory
	Recorder Recorder   // optional
	// Turns, when set, saves each turn's state and record together (one
	// group commit) instead of States.Save then Recorder.RecordTurn;
	// Recorder still opens handoff tickets.
	Turns     TurnWriter
	Sensitive *Sensitive // default: the shipped lexicon
	Booking   Booker     // optional: appointments in the chat
	Benefits  Benefits   // optional: the eligibility dialogue (benefits.go)
	// TreeReports, when set, takes residents' reports of a tree problem
	// ("小区门口的树快倒了") to this form (treereport.go).
	TreeReports *TreeReportForm
	Hazards     Hazards // optional: communities' waterlogging risk (hazards.go)

	Model     Model // optional; nil answers from the knowledge base only
	ModelName string
	// Understand lets Model settle turns the lexical decision could not
	// (it would ask which item, or decline for naming nothing): see
	// understand.go. Off without a Model.
	Understand        bool
	FirstTokenTimeout time.Duration // default 4 s
	ModelTimeout      time.Duration // whole answer; default 30 s

	Hotline  string // default "12345"
	MaxRunes int    // longest question read; default 500
	Now      func() time.Time
	// Location is the district's zone: 明天 and 这周六 are its days;
	// default clock.Default (Asia/Shanghai).
	Location *time.Location
}

// Assistant answers residents' questions from the knowledge base.
type Assistant struct {
	cfg      Config
	a        *zh.Analyzer
	aspects  *cueTable
	scope    *cueTable
	scopes   *scopeModel
	handoffs []string
	variants map[string]bool
	// opposites pairs words whose opposite in an item's name rules the
	// item out (公办, 民办: lexicon/opposites.txt).
	opposites map[string]string
	generic   map[string]bool
	// audiences are groups of people item names restrict themselves to.
	audiences []string
	// audienceAlias: other words mentioning a group (少儿: 儿童).
	audienceAlias map[string][]string
	// openAsks ask what there is (政府有没有什么能帮的); frames are the
	// words such requests are wrapped in (lexicon/openask.txt).
	openWhat, openAdjacent, openOffers, openDoable, openTodo []string
	frames                                                   map[string]bool
	// fields maps everyday words naming a field of services (房子) to
	// the catalogue's words for it (lexicon/fields.txt).
	fields     map[string][]string
	fieldWords []string // fields' keys, to test a message for any cheaply

	// complaints mark a request for a person as a complaint (投诉).
	complaints []string
	// talk rewrites spoken and typed shorthand into written Mandarin.
	talk *talk
	// situations are the life events residents describe.
	situations *situations
	// requests tell the clause that asks from the story before it.
	requests *requestMarkers
	// trees read residents' reports of a tree problem; speciesWords are
	// the configured species' names, normalised.
	trees        *treeLexicon
	speciesWords []string

	// faqs keeps what matchFAQ reads from each FAQ question.
	faqs *faqCache
}

var _ Service = (*Assistant)(nil)

// New checks the configuration and loads the assistant's lexicons.
func New(cfg Config) (*Assistant, error) {
	if cfg.Index == nil || cfg.Halls == nil {
		return nil, errors.New("assistant: Index and Halls are required")
	}
	if cfg.Mask == nil {
		cfg.Mask = func(s string) string { m, _ := privacy.Mask(s); return m }
	}
	if cfg.Analyzer == nil {
		a, err := zh.Default()
		if err != nil {
			return nil, err
		}
		cfg.Analyzer = a
	}
	if cfg.States == nil {
		cfg.States = &MemoryState{}
	}
	if cfg.FirstTokenTimeout <= 0 {
		cfg.FirstTokenTimeout = 4 * time.Second
	}
	if cfg.ModelTimeout <= 0 {
		cfg.ModelTimeout = 30 * time.Second
	}
	if cfg.Hotline == "" {
		cfg.Hotline = "12345"
	}
	if cfg.MaxRunes <= 0 {
		cfg.MaxRunes = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = clock.Default
	}
	norm := cfg.Analyzer.Normalize
	if cfg.Sensitive == nil {
		defs, err := DefaultSensitive()
		if err != nil {
			return nil, err
		}
		cfg.Sensitive = NewSensitive(defs, norm)
	}
	as := &Assistant{cfg: cfg, a: cfg.Analyzer, faqs: &faqCache{}}
	var err error
	if as.aspects, err = parseCues("aspects.txt", norm); err != nil {
		return nil, err
	}
	if as.scope, err = parseCues("scope.txt", norm); err != nil {
		return nil, err
	}
	if as.scopes, err = loadScopeModel(norm); err != nil {
		return nil, err
	}
	if as.handoffs, err = wordList("handoff.txt", norm); err != nil {
		return nil, err
	}
	if as.complaints, err = wordList("complaint.txt", norm); err != nil {
		return nil, err
	}
	vs, err := wordList("variants.txt", norm)
	if err != nil {
		return nil, err
	}
	as.variants = map[string]bool{}
	for _, v := range vs {
		as.variants[v] = true
	}
	aud, err := wordList("audiences.txt", norm)
	if err != nil {
		return nil, err
	}
	// "少儿=儿童": the group 少儿 is mentioned by 儿童 too.
	as.audienceAlias = map[string][]string{}
	for _, w := range aud {
		g, alias, ok := strings.Cut(w, "=")
		if ok {
			as.audienceAlias[g] = append(as.audienceAlias[g], alias)
		}
		as.audiences = append(as.audiences, g)
	}
	ops, err := wordList("opposites.txt", norm)
	if err != nil {
		return nil, err
	}
	as.opposites = map[string]string{}
	for _, w := range ops {
		if a, b, ok := strings.Cut(w, "="); ok {
			as.opposites[a], as.opposites[b] = b, a
		}
	}
	gs, err := wordList("generic.txt", norm)
	if err != nil {
		return nil, err
	}
	as.generic = map[string]bool{}
	for _, g := range gs {
		as.generic[g] = true
	}
	as.frames = map[string]bool{}
	err = eachEntry("openask.txt", func(kind string, words []string) error {
		for _, w := range words {
			switch kind {
			case "what":
				as.openWhat = append(as.openWhat, norm(w))
			case "what.adjacent":
				as.openAdjacent = append(as.openAdjacent, norm(w))
			case "doable":
				as.openDoable = append(as.openDoable, norm(w))
			case "offer":
				as.openOffers = append(as.openOffers, norm(w))
			case "todo":
				as.openTodo = append(as.openTodo, norm(w))
			case "frame":
				as.frames[norm(w)] = true
			default:
				return fmt.Errorf("unknown kind %q", kind)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	as.fields = map[string][]string{}
	err = eachEntry("fields.txt", func(key string, words []string) error {
		if len(words) == 0 {
			return errors.New("no catalogue words")
		}
		for _, w := range strings.Fields(key) {
			// Fields are found among a message's words: one the
			// analyser cuts in two (铺头: 铺 头) would never be.
			if ws := as.a.Words(norm(w)); len(ws) != 1 || ws[0] != norm(w) {
				return fmt.Errorf("%s is not one word to the analyser (%q)", w, ws)
			}
			as.fields[norm(w)] = words
			as.fieldWords = append(as.fieldWords, norm(w))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if as.talk, err = loadTalk(cfg.Analyzer); err != nil {
		return nil, err
	}
	as.talk.aspectShorthand(cfg.Analyzer, as.aspects)
	// Everyday English words left as they are (my, open, need, home) wrap
	// a request written in English as 政府 and 有没有 wrap one in Chinese:
	// they name nothing the catalogue must explain.
	for w := range as.talk.plain {
		as.frames[w] = true
	}
	as.talk.known = cfg.Index.DocFreq
	as.talk.together, as.talk.items, as.talk.initialled = cfg.Index.CoDocFreq, cfg.Index.Len, cfg.Index.WordsWithInitials
	if as.requests, err = loadRequestMarkers(norm); err != nil {
		return nil, err
	}
	if as.situations, err = loadSituations(norm); err != nil {
		return nil, err
	}
	as.situations.added = func(n string) []string {
		var out []string
		for _, e := range cfg.Analyzer.Synonyms().Expand(n) {
			out = append(out, e.Term)
		}
		return out
	}
	as.situations.wordSpans = cfg.Analyzer.WordSpans
	if as.trees, err = loadTreeLexicon(norm); err != nil {
		return nil, err
	}
	if cfg.TreeReports != nil {
		for _, sp := range cfg.TreeReports.Species {
			if w := norm(strings.TrimSpace(sp)); utf8.RuneCountInString(w) >= 2 {
				as.speciesWords = append(as.speciesWords, w)
			}
		}
	}
	return as, nil
}

// Ask answers one message.
func (as *Assistant) Ask(ctx context.Context, req Request) (Reply, error) {
	return as.turn(ctx, req, nil)
}

// Stream answers one message, passing pieces of the answer to onDelta as
// they are written.
func (as *Assistant) Stream(ctx context.Context, req Request, onDelta func(string)) (Reply, error) {
	if onDelta == nil {
		onDelta = func(string) {}
	}
	return as.turn(ctx, req, onDelta)
}

// turn runs the pipeline: input guard → resolve → decide → compose →
// output guard → record.
func (as *Assistant) turn(ctx context.Context, req Request, onDelta func(string)) (Reply, error) {
	start := time.Now()
	convID := req.ConversationID
	var st State
	if convID != "" {
		if !validConversationID(convID) {
			return Reply{}, fmt.Errorf("%w (%w)", ErrConversationID, ErrBadRequest)
		}
		var s State
		ok := false
		if !req.Fresh || !req.NewConversation {
			var err error
			if s, ok, err = as.cfg.States.Load(ctx, convID); err != nil {
				return Reply{}, err
			}
		}
		switch {
		case ok:
			st = s
		case !req.NewConversation:
			convID = NewConversationID()
		}
	} else {
		convID = NewConversationID()
	}

	// Input guard.
	in, err := as.guardInput(req.Message)
	if err != nil {
		return Reply{}, err
	}

	t := &turnState{in: in, state: st, conversationID: convID}
	as.resolve(ctx, t)
	reply := as.compose(ctx, t)
	reply.ConversationID = convID
	rec := TurnRecord{
		ConversationID: convID, Channel: req.Channel, Question: in.masked,
		Status: reply.Status, Aspect: reply.Aspect, Candidates: reply.Candidates, Flags: t.flags,
		Confidence: reply.Confidence,
	}
	for _, c := range reply.Citations {
		rec.Items = append(rec.Items, c.ID)
	}

	// A model rewrites answered turns from the same facts, when configured.
	// Appointment and door-to-door questions are the assistant's own.
	if as.cfg.Model != nil && t.status == Answered && t.item != nil && !t.startBooking && !t.startDoorstep {
		as.modelAnswer(ctx, t, &reply, &rec, onDelta)
	} else if onDelta != nil {
		streamText(reply.Answer, onDelta)
	}
	rec.Answer = reply.redacted()
	if reply.keptMessage != "" {
		rec.Question = reply.keptMessage
	}

	// Remember the dialogue.
	next := t.state
	next.Turns++
	switch reply.Status {
	case Answered:
		if len(reply.Citations) > 0 {
			next.Item = reply.Citations[0].ID
		}
		next.Aspect, next.Candidates, next.Failures = t.aspect, nil, 0
	case Clarify:
		next.Candidates = reply.Candidates
		if t.hazard == nil { // asking which community is not a failure
			next.Failures++
		}
	case OutOfScope:
		next.Candidates = nil
		next.Failures++
	case Handoff:
		next.Failures = 0
	}
	// The answer exists now: it is remembered and recorded whole even if
	// the resident has closed the page meanwhile, rather than half-written
	// and reported as a server error.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	rec.Latency = time.Since(start)
	if err := as.save(ctx, next, rec, &reply); err != nil {
		return Reply{}, err
	}
	if as.cfg.Recorder != nil && reply.Status == Handoff {
		ticket, err := as.cfg.Recorder.OpenHandoff(ctx, convID, reply.TurnID, t.reason)
		if err != nil {
			slog.Error("open handoff ticket", "conversation", convID, "err", err)
		} else {
			reply.HandoffID = ticket
		}
	}
	slog.Debug("turn", "conversation", convID, "status", reply.Status, "aspect", reply.Aspect,
		"items", strings.Join(rec.Items, ","), "generated", reply.Generated, "ms", rec.Latency.Milliseconds())
	return reply, nil
}

// save keeps the dialogue state and records the turn, setting
// reply.TurnID. Only a state that could not be saved fails the turn: a
// turn whose record alone was lost is still answered (and the web records
// a turn without an id itself).
func (as *Assistant) save(ctx context.Context, next State, rec TurnRecord, reply *Reply) error {
	if as.cfg.Turns != nil {
		id, err := as.cfg.Turns.WriteTurn(ctx, next, rec)
		reply.TurnID = id
		return err
	}
	if err := as.cfg.States.Save(ctx, rec.ConversationID, next); err != nil {
		return err
	}
	if as.cfg.Recorder != nil {
		id, err := as.cfg.Recorder.RecordTurn(ctx, rec)
		if err != nil {
			// The resident still gets the answer; the record is the loss.
			slog.Error("record turn", "conversation", rec.ConversationID, "err", err)
		}
		reply.TurnID = id
	}
	return nil
}

// recordTimeout bounds saving the dialogue state and recording the turn.
const recordTimeout = 10 * time.Second

// ErrBadRequest marks input the assistant will not take; the error also
// holds the refusal saying which (ErrEmptyMessage, ErrConversationID).
var ErrBadRequest = errors.New("bad request")

// The assistant's refusals (package refusal).
var (
	ErrEmptyMessage   = refusal.Bad("assistant", "empty_message", "请输入您要咨询的问题")
	ErrConversationID = refusal.Bad("assistant", "conversation_id", "对话编号无效，请重新开始对话。")
)

// input is a message after the input guard.
type input struct {
	raw    string // as typed: used only to read a mobile number into a booking
	masked string // personal data masked; what is stored and sent on
	norm   string // masked and normalised; what is matched
	// typed is norm before the spoken forms were rewritten (resolve):
	// the English words of the scope model's lists are read there, which
	// the English table may have made Chinese (resident's → 居住's).
	typed     string
	truncated bool
}

func (as *Assistant) guardInput(msg string) (input, error) {
	msg = strings.ToValidUTF8(msg, "")
	// Control characters are never part of a question, and PostgreSQL
	// refuses to store a NUL: the web refuses them at its edge, other
	// callers (the command line) get them dropped here.
	msg = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f {
			return -1
		}
		return r
	}, msg)
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return input{}, fmt.Errorf("%w (%w)", ErrEmptyMessage, ErrBadRequest)
	}
	in := input{}
	if utf8.RuneCountInString(msg) > as.cfg.MaxRunes {
		msg = string([]rune(msg)[:as.cfg.MaxRunes])
		in.truncated = true
	}
	in.raw = msg
	in.masked = as.cfg.Mask(msg)
	in.norm = as.a.Normalize(in.masked)
	return in, nil
}

// streamText passes a composed answer on in short pieces, so the page
// shows it arriving the same way as a model's.
func streamText(s string, onDelta func(string)) {
	rs := []rune(s)
	const piece = 12
	for i := 0; i < len(rs); i += piece {
		onDelta(string(rs[i:min(i+piece, len(rs))]))
	}
}
