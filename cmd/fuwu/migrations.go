package main

import (
	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/eligibility"
	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/teaching"
	"github.com/fuwu-gov/fuwu/internal/video"
)

// allMigrations lists every component's schema, in dependency order.
func allMigrations() []store.Migrations {
	return []store.Migrations{
		kb.Migrations,
		search.Migrations,
		assistant.Migrations,
		convo.Migrations,
		audit.Migrations,
		auth.Migrations,
		booking.Migrations,
		doorstep.Migrations,
		library.Migrations,
		teaching.Migrations,
		citymon.Migrations,
		greening.Migrations,
		policy.Migrations, registry.Migrations, eligibility.Migrations,
		risk.Migrations,
		video.Migrations,
	}
}
