package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the thirtieth round, chosen on the learning sets, each tested
// on sentences of our own.

// TestEnglishAspectForms checks, on made-up messages, that English asks
// for an aspect the way Chinese does, by the form of the question: which
// law, a hotline, doing it over the web or without going, when the money
// lands or how quickly, what to send in or whether a paper is needed,
// whether one can still or whether something matters, and which office.
// Guards: a plain price or paper question keeps its aspect, and an in-law
// is no law.
func TestEnglishAspectForms(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"Which law does the orphan living allowance rest on?", "FT-046", assistant.LegalBasis},
		{"Is there a hotline I can try for the senior card before I queue?", "FT-038", assistant.Contact},
		{"Could I sign up for flexible-employment pension insurance from my laptop?", "", assistant.Online},
		{"Printing the social insurance payment certificate, can I do it at home?", "", assistant.Online},
		{"After I hand in the unemployment benefit claim, when will the first payment land?", "", assistant.TimeLimit},
		{"What is the processing time for a residence permit renewal?", "FT-003", assistant.TimeLimit},
		{"What should we send in for an adoption registration?", "FT-065", assistant.Materials},
		{"How many photos should I bring for a first disability card?", "FT-048", assistant.Materials},
		{"Eight months in Futian: is that too early for public rental housing?", "", assistant.Conditions},
		{"Neither of us holds a Shenzhen hukou. Can we still have the free pre-wedding medical exam?", "", assistant.Conditions},
		{"Does it matter that our flat is only rented, for the minimum living allowance?", "", assistant.Conditions},
		{"Which Futian office reissues a lost birth medical certificate?", "", assistant.Location},
		// Guards.
		{"How much does a business licence replacement cost?", "FT-101", assistant.Fee},
		{"What materials does adoption registration need?", "FT-065", assistant.Materials},
		{"My mother-in-law lives alone. How does she apply for an emergency call device for seniors?", "FT-040", assistant.Process},
	})
}

// TestAppointmentArrangedAhead checks, on made-up messages, that
// arranging the visit beforehand (事前约, 事先讲定, 预先电联, 先打电话约)
// asks about the appointment, though no word of booking is said. Guards:
// whom to ring is still the contact, and doing something first is no
// appointment.
func TestAppointmentArrangedAhead(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"社保卡读唔出想补换 需唔需事前约", "FT-011", assistant.Appointment},
		{"查一查旧时结婚档案 要事先讲好时辰吗", "", assistant.Appointment},
		{"办失业登记 去之前用不用先打电话约", "FT-031", assistant.Appointment},
		{"申请长者饭堂助餐 需要预先电联街道吗", "", assistant.Appointment},
		// Guards.
		{"失业登记那边 有没有联系电话", "FT-031", assistant.Contact},
		{"补换社保卡 先办挂失 流程咋走", "FT-011", assistant.Process},
	})
}

// TestWhereShortened checks, on made-up messages, that where a thing is
// done asked with the place word cut short (喺边递, 在福田哪交) is the
// location. Guard: which way to do it is still the steps.
func TestWhereShortened(t *testing.T) {
	t.Parallel()
	checkAsked(t, []askedCase{
		{"长者卡过期要换 我阿爸喺边递申请", "FT-038", assistant.Location},
		{"自由职业想自己缴公积金 在福田哪交表", "", assistant.Location},
		// Guard.
		{"长者卡过期要换 申请有啥步骤", "FT-038", assistant.Process},
	})
}
