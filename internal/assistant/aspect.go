package assistant

import (
	"regexp"
	"strings"
)

// contentText is the message without its aspect cues ("要带什么",
// "能在网上办吗"), so that what is left says which item it is about.
func (as *Assistant) contentText(norm string) string {
	out := norm
	for _, c := range as.aspects.cues {
		if strings.Contains(out, c.phrase) {
			out = strings.ReplaceAll(out, c.phrase, " ")
		}
	}
	return strings.TrimSpace(out)
}

// canQuestion is a weak eligibility question: "她能提公积金交房租吗".
var canQuestion = regexp.MustCompile(`(能|可以|可不可以|能不能)[^,.?!;]{0,8}(吗|不)`)

func (as *Assistant) detectAspect(norm string) Aspect {
	hs := as.aspects.match(norm)
	if len(hs) > 0 && !hs[0].weak {
		return Aspect(hs[0].label)
	}
	if canQuestion.MatchString(norm) {
		return Conditions
	}
	if len(hs) > 0 {
		return Aspect(hs[0].label)
	}
	return ""
}
