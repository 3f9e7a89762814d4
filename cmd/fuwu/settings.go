package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

// setting is one thing an operator configures: its flag (none for the
// few read only from the environment), its FUWU_* variable, its default,
// whether its value is a secret (never printed, never logged), and what
// it does.
type setting struct {
	Flag     string
	Env      string
	Default  string
	Secret   bool
	Commands string // the commands that read it
	Help     string
}

// settings is every setting, in one table; `fuwu help settings` prints
// it. A flag is also read from its variable when not given (parseFlags);
// the variables without a flag are read here, through env, and nowhere
// else. Every other flag of a command is an argument of that command
// (`fuwu <command> -h`), and may be given as FUWU_<FLAG> too.
var settings = []setting{
	// Where the data is.
	{Flag: "data", Default: "./fuwu-data", Commands: "all that touch data", Help: "data folder (SQLite database, uploads, the sealing key)"},
	{Flag: "db", Commands: "all that touch data", Help: "database URL: postgres://… or sqlite:PATH (default: SQLite in the data folder)"},
	{Flag: "tz", Default: "Asia/Shanghai", Commands: "all that touch data", Help: "the zone times are shown in and days begin in (stored times are UTC)"},
	{Flag: "crypto", Commands: "all that touch data", Help: "standard (AES-256-GCM, SHA-256) or gm (SM4-GCM, SM3, HMAC-SM3); default: as the keyring is"},
	{Env: "FUWU_SECRET_KEY", Secret: true, Commands: "all that touch data", Help: "the keyring sealing residents' numbers (base64 key or ring); default: secret.key in the data folder, created on first use"},
	// Serving.
	{Flag: "addr", Default: "127.0.0.1:8080", Commands: "serve", Help: "listen address"},
	{Flag: "demo", Default: "true", Commands: "serve, ask, library, teach", Help: "load the bundled demo catalogue when the knowledge base is empty"},
	{Flag: "chat-rate", Default: "20", Commands: "serve", Help: "chat messages per minute from one client address (0: no limit)"},
	{Flag: "trust-proxy", Default: "false", Commands: "serve", Help: "take the client address from X-Forwarded-For (only behind a proxy that sets it)"},
	{Flag: "secure-cookies", Default: "false", Commands: "serve", Help: "mark cookies Secure and send HSTS (served over HTTPS)"},
	{Flag: "metrics-addr", Commands: "serve", Help: "serve /metrics without a token on this separate address"},
	{Flag: "metrics-token", Secret: true, Commands: "serve", Help: "serve /metrics on the main address to 'Authorization: Bearer TOKEN'"},
	{Flag: "per-turn-commit", Default: "false", Commands: "serve", Help: "commit each chat turn alone instead of grouping concurrent turns (for comparison)"},
	{Flag: "sm2-cert", Commands: "serve", Help: "refused: TLCP (SM2) is terminated by a gateway in front (docs/crypto.md)"},
	{Flag: "sm2-key", Secret: true, Commands: "serve", Help: "refused: TLCP (SM2) is terminated by a gateway in front (docs/crypto.md)"},
	{Env: "FUWU_BOOKING_HORIZON", Default: "14", Commands: "serve, booking, doorstep", Help: "days ahead residents may book (1–366)"},
	// 视频导办 (docs/video.md).
	{Flag: "video", Default: "true", Commands: "serve", Help: "offer 视频导办: residents' video calls with clerks (WebRTC, signalling over WebSocket)"},
	{Flag: "video-items", Commands: "serve", Help: "item ids whose pages offer a video call, comma-separated (empty: every item)"},
	{Flag: "video-hall", Commands: "serve", Help: "the hall clerks answer from unless they name another on the console"},
	{Flag: "turn-addr", Default: "127.0.0.1:3478", Commands: "serve", Help: "embedded TURN server's UDP address (empty: none; use the district's via --ice-urls)"},
	{Flag: "turn-relay-ip", Commands: "serve", Help: "the address the embedded TURN server tells peers to send media to (default: its listening IP)"},
	{Flag: "ice-urls", Commands: "serve", Help: "the district's TURN/STUN servers, comma-separated turn:…/stun:… URLs (no public server by default)"},
	{Flag: "ice-secret", Secret: true, Commands: "serve", Help: "shared secret of the district's TURN servers (coturn static-auth-secret); default: one kept in the database"},
	{Flag: "ice-relay", Default: "false", Commands: "serve", Help: "send every call through TURN (iceTransportPolicy relay)"},
	{Flag: "video-record-days", Default: "0", Commands: "serve", Help: "record calls whose resident consents (clerk's browser, sealed), deleted after this many days; 0: never record"},
	// The model.
	{Flag: "llm-base-url", Commands: "serve, ask, eval, doc, library, teach", Help: "OpenAI-compatible endpoint (empty: no model)"},
	{Flag: "llm-api-key", Secret: true, Commands: "serve, ask, eval, doc, library, teach", Help: "API key for the endpoint"},
	{Flag: "llm-model", Commands: "serve, ask, eval, doc, library, teach", Help: "chat model name"},
	{Flag: "embed-model", Commands: "serve, ask, eval, library", Help: "embedding model name (empty: no embeddings)"},
	{Flag: "embed-base-url", Commands: "serve, ask, eval, library", Help: "embeddings endpoint when not the chat one"},
	{Flag: "stt-model", Commands: "serve", Help: "speech-to-text model name (empty: no transcription)"},
	{Flag: "stt-base-url", Commands: "serve", Help: "transcription endpoint when not the chat one"},
	{Flag: "llm-first-token-timeout", Commands: "serve, ask, eval, doc, library, teach", Help: "longest wait for the first streamed token"},
	{Flag: "llm-timeout", Commands: "serve, ask, eval, doc, library, teach", Help: "longest model call"},
	// City sensors.
	{Flag: "mqtt-url", Secret: true, Commands: "serve, city", Help: "MQTT broker, mqtt://[user:password@]host:port"},
	{Flag: "mqtt-topic", Commands: "serve, city", Help: "subscription (several replicas: $share/fuwu/fuwu/city/#)"},
	{Flag: "mqtt-client-id", Commands: "serve, city", Help: "MQTT client id; the broker keeps the session under it"},
	{Flag: "topic-prefix", Default: "fuwu/city/", Commands: "serve, city", Help: "topics are this prefix + device id"},
	{Flag: "retention", Commands: "serve, city", Help: "accept readings this far back"},
	{Flag: "city-feed", Default: "true", Commands: "serve", Help: "with the demo and no broker, feed the demo sensors simulated readings"},
	{Env: "FUWU_CITY_WEBHOOK", Commands: "serve", Help: "URL the city alerts are posted to"},
	// Waterlogging and fire risk (docs/risk.md).
	{Flag: "risk-every", Default: "5m0s", Commands: "serve", Help: "re-assess every community's waterlogging risk this often (at least 1m)"},
	{Flag: "risk-model", Commands: "serve, risk", Help: "JSON waterlogging model (storm formula, river levels); default: the unverified EXAMPLE formula"},
	// Who acts.
	{Env: "USER", Commands: "booking, doorstep, policy, import", Help: "who a staff command records as acting when --actor is not given"},
	// Logs.
	{Env: "FUWU_LOG_LEVEL", Default: "info", Commands: "all", Help: "debug, info, warn or error"},
	{Env: "FUWU_LOG_FORMAT", Default: "text", Commands: "all", Help: "text or json"},
	// The Go runtime's collector (README, "Load").
	{Env: "GOGC", Default: "400", Commands: "serve", Help: "heap growth between garbage collections, in percent of the live heap (Go's variable; serve's default is 400, Go's 100)"},
	{Env: "GOMEMLIMIT", Default: "1GiB", Commands: "serve", Help: "soft memory limit under which the collector works harder (Go's variable, e.g. 2GiB)"},
}

func init() {
	for i := range settings {
		if settings[i].Env == "" {
			settings[i].Env = envName(settings[i].Flag)
		}
	}
}

// env reads a setting that has no flag; it is the one place the program
// reads the environment (besides parseFlags, for flags).
func env(name string) string {
	for _, s := range settings {
		if s.Env == name && s.Flag == "" {
			return strings.TrimSpace(os.Getenv(name))
		}
	}
	panic("fuwu: setting not in the table: " + name) // a programming error, caught by the tests
}

// llmEnv is env for llm.ConfigFromEnv: the model's variables, read as
// settings.
func llmEnv(name string) string {
	for _, s := range settings {
		if s.Env == name {
			return strings.TrimSpace(os.Getenv(name))
		}
	}
	panic("fuwu: setting not in the table: " + name)
}

// printSettings writes the table.
func printSettings(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAG\tVARIABLE\tDEFAULT\tSECRET\tCOMMANDS\tWHAT")
	for _, s := range settings {
		flag, secret := "-", ""
		if s.Flag != "" {
			flag = "--" + s.Flag
		}
		if s.Secret {
			secret = "secret"
		}
		def := s.Default
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", flag, s.Env, def, secret, s.Commands, s.Help)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nA command's other flags are its arguments ('fuwu <command> -h'); each may also be given as FUWU_<FLAG>.")
}
