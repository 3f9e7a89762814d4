package zh

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-ego/gse"
)

// edgeConflict is a phrase Fuwu's lexicons give the segmenter that steals
// characters from a dictionary word standing against its edge: 想领 in
// 想领养 leaves 养 and loses 领养.
type edgeConflict struct {
	phrase, word, text string
	cut                []string
	start, end         int // the word's runes in text
}

func (c edgeConflict) String() string {
	return fmt.Sprintf("%s+%s: %s → %s", c.phrase, c.word, c.text, strings.Join(c.cut, "/"))
}

var (
	baseOnce sync.Once
	baseSeg  gse.Segmenter
	baseFreq map[string]float64
	baseErr  error
)

// loadBase loads a segmenter with the base dictionary alone: the judge of
// how a text reads without Fuwu's lexicons.
func loadBase() (*gse.Segmenter, map[string]float64, error) {
	baseOnce.Do(func() {
		raw, err := readGzip("dict/base.txt.gz")
		if err != nil {
			baseErr = err
			return
		}
		baseFreq = map[string]float64{}
		for _, line := range strings.Split(string(raw), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			v, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				baseFreq[f[0]] = v
			}
		}
		baseSeg.SkipLog = true
		baseErr = baseSeg.LoadDictStr(string(raw))
	})
	return &baseSeg, baseFreq, baseErr
}

// keepsWhole reports whether the cut has a word spanning runes [start, end).
func keepsWhole(cut []string, start, end int) bool {
	pos := 0
	for _, w := range cut {
		n := len([]rune(w))
		if pos == start && pos+n == end {
			return true
		}
		pos += n
	}
	return false
}

// covers reports whether one word of the cut holds runes [start, end)
// and more: a longer phrase (注销户口) holding the word (注销) is no theft.
func covers(cut []string, start, end int) bool {
	pos := 0
	for _, w := range cut {
		n := len([]rune(w))
		if pos <= start && end <= pos+n {
			return true
		}
		pos += n
	}
	return false
}

func allHan(w string) bool {
	for _, r := range w {
		if !IsHan(r) {
			return false
		}
	}
	return w != ""
}

// edgeConflicts joins every word the lexicons add to the segmenter with
// every base-dictionary word that overlaps its edge (the phrase's last k
// characters are the word's first k, or its first k the word's last k),
// and lists the joined texts where the dictionary word is a real word
// there but the analyser's cut does not keep it whole. A real word there
// is one the base dictionary alone keeps whole in the joined text and that
// the catalogue uses or the base dictionary rates above the phrase.
func edgeConflicts(a *Analyzer, catalogue string) (conflicts []edgeConflict, checked int, err error) {
	base, freq, err := loadBase()
	if err != nil {
		return nil, 0, err
	}
	byFirst := map[rune][]string{}
	byLast := map[rune][]string{}
	for w := range freq {
		rs := []rune(w)
		if len(rs) < 2 || len(rs) > 8 || !allHan(w) {
			continue
		}
		byFirst[rs[0]] = append(byFirst[rs[0]], w)
		byLast[rs[len(rs)-1]] = append(byLast[rs[len(rs)-1]], w)
	}
	phrases := make([]string, 0, len(a.added)+len(a.merge))
	for p := range a.added {
		if allHan(p) {
			phrases = append(phrases, p)
		}
	}
	for p := range a.merge {
		if allHan(p) {
			phrases = append(phrases, p)
		}
	}
	sort.Strings(phrases)
	seen := map[string]bool{}
	try := func(p, w, text string, start, end int) {
		if w == p || strings.Contains(w, p) || seen[text+"|"+w] {
			return
		}
		seen[text+"|"+w] = true
		if !strings.Contains(catalogue, w) && freq[w] <= freq[p] {
			return
		}
		if !keepsWhole(base.Cut(text, false), start, end) {
			return
		}
		checked++
		if cut := a.cutRun(text, false); !keepsWhole(cut, start, end) && !covers(cut, start, end) {
			conflicts = append(conflicts, edgeConflict{p, w, text, cut, start, end})
		}
	}
	for _, p := range phrases {
		rs := []rune(p)
		for k := 1; k < len(rs); k++ {
			tail := string(rs[len(rs)-k:])
			for _, w := range byFirst[rs[len(rs)-k]] {
				wr := []rune(w)
				if len(wr) > k && string(wr[:k]) == tail {
					text := p + string(wr[k:])
					try(p, w, text, len(rs)-k, len([]rune(text)))
				}
			}
			head := string(rs[:k])
			for _, w := range byLast[rs[k-1]] {
				wr := []rune(w)
				if len(wr) > k && string(wr[len(wr)-k:]) == head {
					try(p, w, w+string(rs[k:]), 0, len(wr))
				}
			}
		}
	}
	sort.Slice(conflicts, func(i, j int) bool { return conflicts[i].text < conflicts[j].text })
	return conflicts, checked, nil
}

// matchPhrase reports whether w is a phrase the lexicons hold for
// matching, not as a word the segmenter must keep whole: a phrase joined
// from tokens, or a left-hand phrase of the synonym table the base
// dictionary has, which keeps its own frequency.
func matchPhrase(a *Analyzer, w string) bool {
	return a.merge[w] || a.synonyms.adding[w] != nil && a.added[w] != lexiconFreq
}

// TestLexiconEdgeConflicts checks every word the lexicons give the
// segmenter against every dictionary word overlapping its edge. A phrase
// held for matching (想领) must never take characters from the word beside
// it. The words the segmenter is meant to keep whole (gov.txt words such
// as 年审 and 人社局, the catalogue terms of the synonym table the base
// dictionary has, A-not-A forms) still win over a neighbour in some
// joined texts: those are known, counted, and may not grow. Most are
// right or harmless, against the base dictionary's own bias, which rates
// single characters far below any two-character word: it reads 一两年审
// as 一两 年 审 where the lexicon keeps 年审, and 一个人账户 as 一个 人 账户
// where the lexicon keeps 个人账户.
func TestLexiconEdgeConflicts(t *testing.T) {
	if testing.Short() {
		t.Skip("cuts some 65000 joined texts")
	}
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../data/kb/items.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	conflicts, checked, err := edgeConflicts(a, a.Normalize(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var phrase, entry []edgeConflict
	for _, c := range conflicts {
		// A phrase's fault is a conflict the dictionary cut alone does not
		// have: in 不是深户口 the entry 深户 takes 户口's 户 before any
		// phrase is made.
		if matchPhrase(a, c.phrase) && keepsWhole(a.seg.Cut(c.text, false), c.start, c.end) {
			phrase = append(phrase, c)
		} else {
			entry = append(entry, c)
		}
	}
	t.Logf("%d joined texts checked: %d conflicts of matching phrases, %d of dictionary entries",
		checked, len(phrase), len(entry))
	for _, c := range phrase {
		t.Errorf("matching phrase takes a word's characters: %v", c)
	}
	// knownEntryConflicts is the count as reviewed; a lexicon change that
	// raises it adds a word that steals. 11837 when the check was written;
	// 12127 with the catalogue terms the eligibility paraphrases map to
	// (灵活就业人员, 门特, 轮候 …), each winning over a rare neighbour word
	// (鲍千灵, 龙门, 齿轮) as the known ones do; 12228 with the terms of the
	// whole catalogue's conditions (二手房, 税费, 项目变更, 参保记录, 初创企业, 肢体残疾,
	// 遗失声明 …), reviewed: they win over 房东, 费用, 更为, 人参, 业务 only in joined
	// texts such as 二手房东, 税费用, 项目变更为, 人参保记录, 初创企业务;
	// 12243 with the night round's benefit phrases, reviewed: 办了失业登记,
	// 已办理失业登记 win over 记录, 记者 only in 失业登记录 / 登记者, 没有配偶
	// over 偶然 in 没有配偶然, 认定个什么 over 承认, 确认 in 承认定个什么.
	// 12276 with the documents-and-registrations words (准予迁入, 婚姻登记,
	// 离婚, 结婚, 缴纳证明 …), reviewed: they win over 入口, 记录, 距离, 总结,
	// 明白 only in joined texts such as 准予迁入口, 距离婚, 总结婚, 缴纳证明白.
	// 12352 with 开发票 (a verb and a catalogue word the base cut split as
	// 开发 + 票), reviewed: it wins over 分开, 公开, 打开 … only in joined
	// texts such as 分开发票, 公开发票, where 开 ends the other word.
	// 13814 with the everyday single characters back in the dictionary
	// (进, 出, 家, 没 …, see gendict), reviewed on a sample: a lexicon word
	// now wins where only one character is left beside it, as in 没入户
	// (没/入户), 填补贴 (填/补贴), 进退税 (进/退税), 选出生 (选/出生); before,
	// a character the dictionary lacked could not stand alone.
	// 13872 with the catalogue's tax words (增值税, 小规模, 电子税务局),
	// reviewed: they win over 税收, 规模, 局长 … only in joined texts such
	// as 增值税收, 小规模块化, 电子税务局长, and over 老小, 弱小 in 老小规模.
	// 13919 with 不是低保 (a family not on 低保, the relief for heavy
	// spending), reviewed: it wins over a word starting with 保 (保姆, 保险,
	// 保安 …) only in joined texts such as 不是低保姆, where 低保 ends first.
	const knownEntryConflicts = 13919
	if len(entry) > knownEntryConflicts {
		t.Errorf("%d conflicts of dictionary entries, more than the %d known", len(entry), knownEntryConflicts)
	}
	if testing.Verbose() {
		for _, c := range entry {
			t.Log(c)
		}
	}
}
