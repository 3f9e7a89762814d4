// Package auth is the staff side's front door: accounts with roles
// (admin, editor, reviewer, agent, operator, teacher), argon2id password hashes, server-side
// sessions, the CSRF key, and login rate limiting.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// Role is what a staff member is allowed to do.
type Role string

const (
	Admin    Role = "admin"    // everything, including accounts
	Editor   Role = "editor"   // writes knowledge, submits it for review
	Reviewer Role = "reviewer" // reviews and publishes knowledge, reads quality data
	Agent    Role = "agent"    // answers handoff tickets
	Operator Role = "operator" // city operations duty officer: the /city dashboard, devices, alerts
	Teacher  Role = "teacher"  // the teachers' assistant and the teaching collections
)

// Roles lists every role in display order.
var Roles = []Role{Admin, Editor, Reviewer, Agent, Operator, Teacher}

// ParseRole accepts the English names and the Chinese labels.
func ParseRole(s string) (Role, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "admin", "管理员":
		return Admin, nil
	case "editor", "编辑":
		return Editor, nil
	case "reviewer", "审核员":
		return Reviewer, nil
	case "agent", "坐席", "人工坐席":
		return Agent, nil
	case "operator", "城运值班员", "值班员":
		return Operator, nil
	case "teacher", "教师":
		return Teacher, nil
	}
	return "", fmt.Errorf("unknown role %q (admin, editor, reviewer, agent, operator, teacher): %w", s, ErrUnknownRole)
}

// Label is the role as staff read it.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "管理员"
	case Editor:
		return "编辑"
	case Reviewer:
		return "审核员"
	case Agent:
		return "人工坐席"
	case Operator:
		return "城运值班员"
	case Teacher:
		return "教师"
	}
	return string(r)
}

// Permission is one thing a role may do.
type Permission string

const (
	ViewConsole    Permission = "view_console"    // see the console at all
	EditKnowledge  Permission = "edit_knowledge"  // edit items, FAQ, halls; upload
	Publish        Permission = "publish"         // publish or withdraw knowledge
	ReadQuality    Permission = "read_quality"    // conversations, feedback, unanswered questions
	HandleTickets  Permission = "handle_tickets"  // the handoff queue
	ReadAudit      Permission = "read_audit"      // the audit log
	ManageUsers    Permission = "manage_users"    // accounts and roles
	ManageBookings Permission = "manage_bookings" // appointments: day lists, check-in, no-show, contacts
	Dispatch       Permission = "dispatch"        // door-to-door requests: accept, assign, close, specialists
	EditLexicon    Permission = "edit_lexicon"    // the assistant's sensitive-word lexicon
	ViewCity       Permission = "view_city"       // the /city environment dashboard
	ManageCity     Permission = "manage_city"     // city devices, alert and exceedance handling, dust measures
	// ViewPolicy reads the policy library, the 政策找人 lists (masked)
	// and the 免申即享 batches and statistics; changing them needs
	// EditKnowledge, Publish or Dispatch as each route says.
	ViewPolicy Permission = "view_policy"
	// The document library: every staff role reads the collections its
	// role may see; importing needs ImportLibrary (and a collection the
	// importer may write to); creating collections and deleting documents
	// need ManageLibrary.
	ReadLibrary   Permission = "read_library"   // ask the library, read its documents
	ImportLibrary Permission = "import_library" // import documents
	ManageLibrary Permission = "manage_library" // collections and their visibility, deleting documents
	Teach         Permission = "teach"          // the teachers' assistant: plans, bank, sets, results, pairs, drafts
	// Consult asks the assistant as a clerk (专家级政务助手): the full item
	// with every condition, material, legal basis and the internal notes
	// residents never see.
	Consult Permission = "consult"
	// Greening maintenance (绿化管养): ViewGreening reads the inventory,
	// plans, risk rankings, work orders, evaluation and reports and asks
	// the maintenance Q&A; ManageGreening imports and edits the inventory
	// and knowledge, issues plans as work orders, assigns and closes them.
	ViewGreening   Permission = "view_greening"
	ManageGreening Permission = "manage_greening"
	// VideoGuide answers residents' video calls (视频导办) and reads
	// their figures.
	VideoGuide Permission = "video_guide"
	// VideoRecordings lists and downloads the recordings of video calls,
	// when a deployment records them (--video-record-days) and the
	// resident consented. Not the clerks themselves.
	VideoRecordings Permission = "video_recordings"
)

var grants = map[Role][]Permission{
	Admin: {ViewConsole, EditKnowledge, Publish, ReadQuality, HandleTickets, ReadAudit, ManageUsers, ManageBookings, Dispatch, EditLexicon,
		ViewCity, ManageCity, ReadLibrary, ImportLibrary, ManageLibrary, Teach, ViewPolicy, Consult, ViewGreening, ManageGreening, VideoGuide,
		VideoRecordings},
	Editor:   {ViewConsole, EditKnowledge, ReadQuality, ReadLibrary, ImportLibrary, ViewPolicy, Consult},
	Reviewer: {ViewConsole, EditKnowledge, Publish, ReadQuality, ReadAudit, EditLexicon, ReadLibrary, ImportLibrary, ManageLibrary, ViewPolicy, Consult},
	Agent:    {ViewConsole, HandleTickets, ReadQuality, ManageBookings, Dispatch, ReadLibrary, ViewPolicy, Consult, VideoGuide},
	Operator: {ViewConsole, ViewCity, ManageCity, ReadLibrary, ViewGreening, ManageGreening},
	// A teacher sees the console for the library and the teachers'
	// assistant only: nothing of residents' conversations or bookings.
	Teacher: {ViewConsole, ReadLibrary, ImportLibrary, Teach},
}

// Can reports whether the role holds the permission.
func (r Role) Can(p Permission) bool {
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// HashParams are argon2id's cost parameters.
type HashParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultHashParams follow RFC 9106's second recommended option (64 MiB,
// 3 passes), which costs about a tenth of a second per login on two cores.
var DefaultHashParams = HashParams{Time: 3, Memory: 64 * 1024, Threads: 2}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// ErrWeakPassword is returned for passwords that are too short.
var ErrWeakPassword = refusal.New("auth", "weak_password", fmt.Sprintf("密码至少需要 %d 个字符", MinPasswordLen))

// ErrUnknownRole is a role name ParseRole does not know.
var ErrUnknownRole = refusal.New("auth", "unknown_role", "未知角色（管理员、编辑、审核员、人工坐席、城运值班员、教师）")

// HashPassword returns the PHC string of an argon2id hash with a fresh salt.
func HashPassword(password string, p HashParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares a password with a PHC argon2id string in
// constant time. The parameters come from the string, so raising the
// defaults keeps old hashes valid.
func CheckPassword(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("auth: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("auth: unsupported argon2 version %q", parts[2])
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("auth: bad argon2 parameters %q: %w", parts[3], err)
	}
	if p.Time == 0 || p.Memory == 0 || p.Threads == 0 || p.Memory > 1<<18 || p.Time > 16 {
		return false, fmt.Errorf("auth: argon2 parameters out of range %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("auth: bad salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, fmt.Errorf("auth: bad hash")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// newToken returns a random URL-safe token and the hex digest (SHA-256,
// or SM3 for the gm suite) under which it is stored.
func newToken(suite cryptosuite.Suite) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(suite, token), nil
}

// hashToken is a session token's stored digest. Moving a deployment to
// the gm suite changes it, which ends the sessions open at the time.
func hashToken(suite cryptosuite.Suite, token string) string {
	return hex.EncodeToString(suite.Sum([]byte(token)))
}
