package privacy

import (
	"context"
	"fmt"
	"log/slog"
)

// NewHandler wraps next so that the message and every attribute are
// masked before next sees them: strings, numbers (a mobile number logged
// as an int), errors, Stringers and any other value by its printed form,
// inside groups too. Values with nothing to mask pass through untouched.
//
//	slog.SetDefault(slog.New(privacy.NewHandler(slog.NewJSONHandler(os.Stderr, nil))))
func NewHandler(next slog.Handler) slog.Handler { return handler{next} }

type handler struct{ next slog.Handler }

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	msg, _ := Mask(r.Message)
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(MaskAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = MaskAttr(a)
	}
	return handler{h.next.WithAttrs(masked)}
}

func (h handler) WithGroup(name string) slog.Handler { return handler{h.next.WithGroup(name)} }

// ReplaceAttr masks like NewHandler, as a slog.HandlerOptions.ReplaceAttr
// (the built-in handlers pass the message through it too).
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr { return MaskAttr(a) }

// MaskAttr masks one attribute's value (see NewHandler).
func MaskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	var s string
	switch v.Kind() {
	case slog.KindString:
		s = v.String()
	case slog.KindInt64, slog.KindUint64:
		s = v.String()
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]slog.Attr, len(attrs))
		for i, g := range attrs {
			out[i] = MaskAttr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case fmt.Stringer:
			s = x.String()
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprint(x)
		}
	default: // bool, float, time, duration: nothing personal in their form
		return slog.Attr{Key: a.Key, Value: v}
	}
	if m, found := Mask(s); len(found) > 0 {
		return slog.String(a.Key, m)
	}
	return slog.Attr{Key: a.Key, Value: v}
}
