package assistant

import (
	"context"
	"errors"

	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// ServiceBooker lets the assistant book appointments and file door-to-door
// requests through the booking and doorstep services. Keys seal the mobile
// number a resident gives until the read-back is confirmed.
type ServiceBooker struct {
	Booking  *booking.Service
	Doorstep *doorstep.Service
	Keys     *privacy.Keys
}

var _ Booker = ServiceBooker{}

// Days lists the hall's open days, soonest first, full ones marked.
func (c ServiceBooker) Days(ctx context.Context, hallID, itemID string) ([]OpenDay, error) {
	days, err := c.Booking.Days(ctx, hallID, itemID)
	if err != nil {
		return nil, err
	}
	out := make([]OpenDay, 0, len(days))
	for _, d := range days {
		out = append(out, OpenDay{Day: d.Day, Full: d.Free == 0})
	}
	return out, nil
}

// Holiday names the calendar's holiday on day, or "".
func (c ServiceBooker) Holiday(ctx context.Context, day string) (string, error) {
	cal, err := c.Booking.CalendarDays(ctx, day, day)
	if err != nil {
		return "", err
	}
	for _, d := range cal {
		if d.Day == day && d.Kind == booking.Holiday {
			return d.Name, nil
		}
	}
	return "", nil
}

// StreetOf finds the district's street an address names.
func (c ServiceBooker) StreetOf(address string) string { return c.Doorstep.StreetOf(address) }

// Streets are the district's streets.
func (c ServiceBooker) Streets() []string { return c.Doorstep.Streets() }

// errNoKeys: a ServiceBooker made without keys cannot keep a number between turns.
var errNoKeys = errors.New("assistant: no keys to seal the mobile number")

// Seal seals a mobile number for the dialogue state.
func (c ServiceBooker) Seal(plain string) (string, error) {
	if c.Keys == nil {
		return "", errNoKeys
	}
	return c.Keys.Seal(plain)
}

// Open opens a number Seal sealed.
func (c ServiceBooker) Open(sealed string) (string, error) {
	if c.Keys == nil {
		return "", errNoKeys
	}
	return c.Keys.Open(sealed)
}

// Times lists a day's start times with a free place.
func (c ServiceBooker) Times(ctx context.Context, hallID, itemID, day string) ([]string, error) {
	slots, err := c.Booking.Slots(ctx, hallID, itemID, day)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range slots {
		if s.Free > 0 {
			out = append(out, s.Start)
		}
	}
	return out, nil
}

// Book makes the appointment; refusals carry UserMessage.
func (c ServiceBooker) Book(ctx context.Context, b BookingRequest) (string, error) {
	bk, err := c.Booking.Book(ctx, booking.Request{HallID: b.HallID, ItemID: b.ItemID, Day: b.Day, Start: b.Time,
		Name: b.Name, Mobile: b.Mobile, Channel: "chat", ConversationID: b.ConversationID})
	if err != nil {
		return "", err
	}
	return bk.Code, nil
}

// RequestDoorstep files a door-to-door request; the street is read from
// the address.
func (c ServiceBooker) RequestDoorstep(ctx context.Context, d DoorstepRequest) (string, error) {
	r, err := c.Doorstep.Submit(ctx, doorstep.NewRequest{Applicant: d.Name, Phone: d.Mobile, Address: d.Address,
		ItemID: d.ItemID, Notes: d.Notes, Channel: "chat", ConversationID: d.ConversationID})
	if err != nil {
		return "", err
	}
	return r.Number, nil
}
