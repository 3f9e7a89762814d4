package assistant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// SensitiveAction says what a sensitive word does to a turn.
type SensitiveAction string

const (
	ActionBlock   SensitiveAction = "block"   // decline
	ActionHandoff SensitiveAction = "handoff" // answer with help and pass to a person
	ActionFlag    SensitiveAction = "flag"    // answer, mark for review
)

// SensitiveWord is one entry of the governed lexicon.
type SensitiveWord struct {
	Word     string          `json:"word"`
	Category string          `json:"category"`
	Action   SensitiveAction `json:"action"`
	Allow    bool            `json:"allow"` // an allow-list phrase
}

// Sensitive is the sensitive-word lexicon: words with a category and an
// action, and an allow-list of legitimate phrases that contain them.
type Sensitive struct {
	mu    sync.RWMutex
	words []SensitiveWord // longest first
	allow []string
	norm  func(string) string
	harm  harmRules // the shipped act-and-object rules (lexicon/harm.txt)
}

// NewSensitive builds a lexicon from entries, with the shipped rules for
// requests to forge or defraud.
func NewSensitive(entries []SensitiveWord, norm func(string) string) *Sensitive {
	s := &Sensitive{norm: norm}
	h, err := loadHarm(norm)
	if err != nil {
		// The file is embedded and tested: this is a build defect.
		panic(err)
	}
	s.harm = h
	s.Set(entries)
	return s
}

// Set replaces the lexicon's entries.
func (s *Sensitive) Set(entries []SensitiveWord) {
	var words []SensitiveWord
	var allow []string
	for _, e := range entries {
		e.Word = s.norm(e.Word)
		if e.Word == "" {
			continue
		}
		if e.Allow {
			allow = append(allow, e.Word)
		} else {
			words = append(words, e)
		}
	}
	sort.SliceStable(words, func(i, j int) bool { return len(words[i].Word) > len(words[j].Word) })
	s.mu.Lock()
	s.words, s.allow = words, allow
	s.mu.Unlock()
}

// Check returns the first sensitive word in normalised text that is not
// part of an allow-listed phrase there.
func (s *Sensitive) Check(norm string) (SensitiveWord, bool) {
	w, _, ok := s.check(norm)
	return w, ok
}

// check is Check with where in norm (rune offsets) the word matched, or
// the act and the object of a rule.
func (s *Sensitive) check(norm string) (SensitiveWord, []span, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	masked := norm
	for _, a := range s.allow {
		if strings.Contains(masked, a) {
			masked = strings.ReplaceAll(masked, a, strings.Repeat("□", len([]rune(a))))
		}
	}
	for _, w := range s.words {
		if i := strings.Index(masked, w.Word); i >= 0 {
			at := utf8.RuneCountInString(masked[:i])
			return w, []span{{at, at + utf8.RuneCountInString(w.Word)}}, true
		}
	}
	if words, parts, ok := s.harm.match(masked); ok {
		return SensitiveWord{Word: words, Category: "illegal", Action: ActionBlock}, parts, true
	}
	return SensitiveWord{}, nil, false
}

// SensitiveProposal reads a resident's message as a turn does (masked,
// normalised, spoken forms written) and, when the governed lexicon stops
// it, returns the entry that did and the phrase a reviewer who judges it
// a false positive would allow, which the console offers on the
// unanswered page for the reviewer to edit:
//
//   - a matched word inside longer dictionary words of the message is
//     their fault, and they are proposed (假 of a rule in 我爸装假肢要开
//     证明吗 proposes 装假肢, as the shipped rules' decoys hold 请假 and
//     假期);
//   - otherwise the words that matched with what lies between them,
//     widened by one Chinese character on each side so that the allowed
//     phrase is narrower than the word it excuses (跳楼 in 跳楼价的房子
//     proposes 跳楼价).
func (as *Assistant) SensitiveProposal(text string) (SensitiveWord, string, bool) {
	norm := as.talk.rewrite(as.a.Normalize(as.cfg.Mask(text)))
	w, parts, ok := as.cfg.Sensitive.check(norm)
	if !ok {
		return w, "", false
	}
	rs := []rune(norm)
	for _, p := range parts {
		// Every dictionary word around the part: the cut alone may keep
		// the wrong one (装假 | 肢 rather than 装 | 假肢).
		lo, hi := p.start, p.end
		for n := p.end - p.start + 1; n <= maxWordRunes; n++ {
			for st := max(p.end-n, 0); st <= p.start && st+n <= len(rs); st++ {
				if _, known := as.a.WordFreq(string(rs[st : st+n])); known && allHan(rs[st:st+n]) {
					lo, hi = min(lo, st), max(hi, st+n)
				}
			}
		}
		if hi-lo > p.end-p.start {
			return w, string(rs[lo:hi]), true
		}
	}
	lo, hi := parts[0].start, parts[len(parts)-1].end
	if lo > 0 && unicode.Is(unicode.Han, rs[lo-1]) {
		lo--
	}
	if hi < len(rs) && unicode.Is(unicode.Han, rs[hi]) {
		hi++
	}
	return w, string(rs[lo:hi]), true
}

// DefaultSensitive is the lexicon shipped in lexicon/sensitive.txt.
func DefaultSensitive() ([]SensitiveWord, error) {
	var out []SensitiveWord
	err := eachLine("sensitive.txt", func(line string) error {
		f := strings.Fields(line)
		switch {
		case f[0] == "allow" && len(f) == 2:
			out = append(out, SensitiveWord{Word: f[1], Allow: true})
		case len(f) == 3:
			a := SensitiveAction(f[2])
			if a != ActionBlock && a != ActionHandoff && a != ActionFlag {
				return fmt.Errorf("unknown action %q", f[2])
			}
			out = append(out, SensitiveWord{Word: f[0], Category: f[1], Action: a})
		default:
			return errors.New(`want "word category action" or "allow phrase"`)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SensitiveStore keeps the lexicon in the database, seeded from the
// shipped defaults on first use, so staff can edit it.
type SensitiveStore struct{ DB *store.DB }

// SensitiveTopic announces lexicon edits to every replica.
const SensitiveTopic = "assistant.sensitive"

// List returns the stored lexicon, seeding the defaults when it is empty.
func (st SensitiveStore) List(ctx context.Context) ([]SensitiveWord, error) {
	var n int
	if err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM assistant_sensitive`).Scan(&n); err != nil {
		return nil, fmt.Errorf("sensitive words: %w", err)
	}
	if n == 0 {
		defs, err := DefaultSensitive()
		if err != nil {
			return nil, err
		}
		err = st.DB.InTx(ctx, func(tx *store.Tx) error {
			for _, w := range defs {
				if _, err := tx.Exec(ctx, `INSERT INTO assistant_sensitive (word, category, action, allow, updated_by, updated_at)
					VALUES (?, ?, ?, ?, 'default', ?) ON CONFLICT (word) DO NOTHING`, w.Word, w.Category, string(w.Action), boolInt(w.Allow), store.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("seed sensitive words: %w", err)
		}
	}
	rows, err := st.DB.Query(ctx, `SELECT word, category, action, allow FROM assistant_sensitive ORDER BY allow, category, word`)
	if err != nil {
		return nil, fmt.Errorf("sensitive words: %w", err)
	}
	defer rows.Close()
	var out []SensitiveWord
	for rows.Next() {
		var w SensitiveWord
		var allow int
		if err := rows.Scan(&w.Word, &w.Category, &w.Action, &allow); err != nil {
			return nil, err
		}
		w.Allow = allow != 0
		out = append(out, w)
	}
	return out, rows.Err()
}

// Put adds or changes an entry.
func (st SensitiveStore) Put(ctx context.Context, w SensitiveWord, actor string) error {
	w.Word = strings.TrimSpace(w.Word)
	if w.Word == "" {
		return fmt.Errorf("sensitive word: empty word")
	}
	if !w.Allow && w.Action != ActionBlock && w.Action != ActionHandoff && w.Action != ActionFlag {
		return fmt.Errorf("sensitive word %q: action must be block, handoff or flag", w.Word)
	}
	if _, err := st.DB.Exec(ctx, `INSERT INTO assistant_sensitive (word, category, action, allow, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (word) DO UPDATE SET category = excluded.category, action = excluded.action, allow = excluded.allow,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		w.Word, w.Category, string(w.Action), boolInt(w.Allow), actor, store.Now()); err != nil {
		return fmt.Errorf("save sensitive word: %w", err)
	}
	return st.DB.Publish(ctx, SensitiveTopic, w.Word)
}

// FollowSensitive keeps lex current with the stored lexicon: on every
// change announced on SensitiveTopic (changes, from db.Subscribe) it
// reloads the whole list, so an edit by staff on any replica reaches every
// replica's next turn. It returns when ctx ends or changes closes.
func FollowSensitive(ctx context.Context, st SensitiveStore, lex *Sensitive, changes <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return
			}
			words, err := st.List(ctx)
			if err != nil {
				if ctx.Err() == nil {
					slog.WarnContext(ctx, "sensitive lexicon reload failed; keeping the current one", "err", err)
				}
				continue
			}
			lex.Set(words)
		}
	}
}

// Delete removes an entry.
func (st SensitiveStore) Delete(ctx context.Context, word string) error {
	if _, err := st.DB.Exec(ctx, `DELETE FROM assistant_sensitive WHERE word = ?`, word); err != nil {
		return fmt.Errorf("delete sensitive word: %w", err)
	}
	return st.DB.Publish(ctx, SensitiveTopic, word)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxWordRunes is the longest dictionary word SensitiveProposal looks for
// around a matched word.
const maxWordRunes = 4

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}
