package assistant

import (
	"context"

	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
)

// Rooms lets the assistant book appointments and file door-to-door
// requests through the booking and doorstep rooms.
type Rooms struct {
	Booking  *booking.Service
	Doorstep *doorstep.Service
}

var _ Booker = Rooms{}

// Days lists the days with a free place, soonest first.
func (c Rooms) Days(ctx context.Context, hallID, itemID string) ([]string, error) {
	days, err := c.Booking.Days(ctx, hallID, itemID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range days {
		if d.Free > 0 {
			out = append(out, d.Day)
		}
	}
	return out, nil
}

// Times lists a day's start times with a free place.
func (c Rooms) Times(ctx context.Context, hallID, itemID, day string) ([]string, error) {
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
func (c Rooms) Book(ctx context.Context, b BookingRequest) (string, error) {
	bk, err := c.Booking.Book(ctx, booking.Request{HallID: b.HallID, ItemID: b.ItemID, Day: b.Day, Start: b.Time,
		Name: b.Name, Mobile: b.Mobile, Channel: "chat", ConversationID: b.ConversationID})
	if err != nil {
		return "", err
	}
	return bk.Code, nil
}

// RequestDoorstep files a door-to-door request; the street is read from
// the address.
func (c Rooms) RequestDoorstep(ctx context.Context, d DoorstepRequest) (string, error) {
	r, err := c.Doorstep.Submit(ctx, doorstep.NewRequest{Applicant: d.Name, Phone: d.Mobile, Address: d.Address,
		ItemID: d.ItemID, Notes: d.Notes, Channel: "chat", ConversationID: d.ConversationID})
	if err != nil {
		return "", err
	}
	return r.Number, nil
}
