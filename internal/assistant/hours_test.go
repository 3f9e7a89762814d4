package assistant

import "testing"

func TestHoursOn(t *testing.T) {
	t.Parallel()
	const h1 = "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00（部分事项）"
	const h2 = "周一至周五 9:00-12:00，13:30-17:30"
	for _, c := range []struct {
		hours, msg, want string
	}{
		{h1, "星期六开门吗", "周六办公 9:00-12:00 （部分事项）"},
		{h1, "星期天上班不", "周日不办公"},
		{h1, "周末能去吗", "周六办公 9:00-12:00 （部分事项）；周日不办公"},
		{h2, "中午休息吗", "中午 12:00-13:30 休息"},
		{h2, "礼拜三中午休息吗", "中午 12:00-13:30 休息；周三办公 9:00-12:00，13:30-17:30"},
		{"征期周六 9:00-12:00", "周六上班吗", "周六办公 9:00-12:00 征期"},
	} {
		day, noon := hoursQuestion(c.msg)
		if got := hoursOn(c.hours, day, noon); got != c.want {
			t.Errorf("hoursOn(%q, %q) = %q, want %q", c.hours, c.msg, got, c.want)
		}
	}
}
