package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-first round, chosen on the learning sets, each
// tested on sentences of our own.

// TestBookedSlotAsksAppointment checks, on made-up messages, that a number
// or a time booked (挂个号, 约了时间, 拿个号, reserve a slot) asks for the
// appointment, even when said with the 网上 it is booked on, and that
// 要不要 before a cue followed by 了 still asks it.
func TestBookedSlotAsksAppointment(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"办结婚登记 用不用提前挂个号", "FT-055", assistant.Appointment},
		{"补领户口本 要不要约了时间再过去", "FT-009", assistant.Appointment},
		{"换身份证之前 是不是要先在网上拿个号", "FT-004", assistant.Appointment},
		{"For marriage registration, do we need to reserve a slot?", "FT-055", assistant.Appointment},
	})
}
