package assistant

import "testing"

// readAnswer reads an answer as the question's type, or says it is none.
func TestReadBenefitAnswer(t *testing.T) {
	t.Parallel()
	choice := &BenefitQuestion{Type: "choice", Options: []string{"在职", "失业", "退休"}}
	birth := &BenefitQuestion{Type: "date", Birth: true}
	for _, c := range []struct {
		q          *BenefitQuestion
		text, want string
		ok         bool
	}{
		{&BenefitQuestion{Type: "bool"}, "是的", "是", true},
		{&BenefitQuestion{Type: "bool"}, "没有", "否", true},
		{&BenefitQuestion{Type: "bool"}, "不是低保户", "否", true},
		{&BenefitQuestion{Type: "bool"}, "好吧", "", false},
		{choice, "已经退休了", "退休", true},
		{choice, "2", "失业", true},
		{choice, "学生", "", false},
		{&BenefitQuestion{Type: "number"}, "大概3000块", "3000", true},
		{&BenefitQuestion{Type: "number"}, "1.2万", "1.2万", true},
		{&BenefitQuestion{Type: "number"}, "没有", "0", true},
		{&BenefitQuestion{Type: "number"}, "挺多的", "", false},
		{birth, "85岁", "85岁", true},
		{birth, "1941年7月15日", "1941年7月15日", true},
		{birth, "很老了", "", false},
		{&BenefitQuestion{Type: "text"}, "户口在深圳", "深圳", true},
		{&BenefitQuestion{Type: "text"}, "深圳市", "深圳", true},
		{&BenefitQuestion{Type: "text"}, "福田区", "福田区", true},
		{&BenefitQuestion{Type: "text"}, "好的", "", false},
		{&BenefitQuestion{Type: "text"}, "要带啥材料", "", false},
	} {
		got, ok := readAnswer(c.q, c.text, c.text)
		if got != c.want || ok != c.ok {
			t.Errorf("%s %q = %q %v, want %q %v", c.q.Type, c.text, got, ok, c.want, c.ok)
		}
	}
}
