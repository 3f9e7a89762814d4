package assistant

import (
	"strings"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// withoutOpposites moves below the others the hits whose name holds the
// opposite of a word the message says (民办 when it says 公办) and not
// that word itself.
func (as *Assistant) withoutOpposites(norm string, hits []search.Hit) []search.Hit {
	var ruled []string
	for w, o := range as.opposites {
		if strings.Contains(norm, w) && !strings.Contains(norm, o) {
			ruled = append(ruled, o)
		}
	}
	if len(ruled) == 0 {
		return hits
	}
	var kept, out []search.Hit
	for _, h := range hits {
		if hasAny(as.a.Normalize(h.Name), ruled) {
			out = append(out, h)
		} else {
			kept = append(kept, h)
		}
	}
	if len(out) == 0 || len(kept) == 0 {
		return hits
	}
	return append(kept, out...)
}
