package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// services are the appointment and door-to-door services over one store.
type services struct {
	booking  *booking.Service
	doorstep *doorstep.Service
	keys     *privacy.Keys // seal residents' numbers
	log      *slog.Logger
	now      func() time.Time
}

// horizonEnv sets how many days ahead residents may book (default 14).
const horizonEnv = "FUWU_BOOKING_HORIZON"

// openServices makes both services. The secret key that seals residents'
// numbers comes from $FUWU_SECRET_KEY or the data folder (created there on
// first use). With setup, halls without hours or windows get them from
// the catalogue and the door-to-door catalogue is synced, so that the demo
// works out of the box; staff changes are never overwritten.
// The services count days in sf's zone, by sf's clock, and log to sf's
// logger.
func openServices(ctx context.Context, db *store.DB, kbs *kb.Store, sf *storeFlags, setup bool) (*services, error) {
	zone, now, log := sf.location(), sf.now(), sf.logger()
	keys, err := privacy.LoadKeys(sf.data, env(privacy.KeyEnv))
	if err != nil {
		return nil, err
	}
	cfg := booking.Config{Location: zone, Now: now}
	if v := env(horizonEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			return nil, fmt.Errorf("%s=%q: want a number of days 1–366", horizonEnv, v)
		}
		cfg.HorizonDays = n
	}
	r := &services{booking: booking.New(db, kbs, keys, cfg), doorstep: doorstep.New(db, kbs, keys, doorstep.Config{Location: zone, Now: now}), keys: keys, log: log, now: now}
	if setup {
		rep, err := r.booking.Seed(ctx, "system")
		if err != nil {
			return nil, fmt.Errorf("set up appointments: %w", err)
		}
		if rep.Schedules+rep.Windows > 0 {
			log.Info("appointments set up from the catalogue", "schedules", rep.Schedules, "windows", rep.Windows, "notes", len(rep.Notes))
		}
		if _, err := r.doorstep.SyncCatalogue(ctx, "system"); err != nil {
			return nil, fmt.Errorf("sync door-to-door catalogue: %w", err)
		}
	}
	return r, nil
}

// housekeep, every interval until ctx ends, flags overdue door-to-door
// requests and marks yesterday's unchecked bookings as no-shows.
func (r *services) housekeep(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			flagged, err := r.doorstep.FlagOverdue(ctx)
			if err != nil {
				r.log.Warn("flag overdue door-to-door requests", "err", err)
			} else if len(flagged) > 0 {
				r.log.Info("door-to-door requests overdue", "count", len(flagged))
			}
			if n, err := r.booking.SweepNoShows(ctx); err != nil {
				r.log.Warn("sweep no-shows", "err", err)
			} else if n > 0 {
				r.log.Info("bookings marked no-show", "count", n)
			}
		}
	}
}
