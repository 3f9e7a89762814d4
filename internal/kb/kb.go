// Package kb is the knowledge base: service items (政务服务事项) with their
// FAQ, standalone FAQ entries, service halls and policy documents, their
// publishing states, and the importers that fill them.
package kb

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Status is an item's publishing state. Only published items are searchable.
type Status string

const (
	Draft     Status = "draft"
	Review    Status = "review" // submitted, waiting for a reviewer
	Published Status = "published"
	Withdrawn Status = "withdrawn"
)

// ParseStatus accepts the English names and their Chinese labels.
func ParseStatus(s string) (Status, error) {
	switch strings.TrimSpace(s) {
	case "draft", "草稿":
		return Draft, nil
	case "review", "待审核", "审核中":
		return Review, nil
	case "published", "已发布", "发布":
		return Published, nil
	case "withdrawn", "已撤回", "撤回", "已下线":
		return Withdrawn, nil
	}
	return "", fmt.Errorf("unknown status %q (draft, review, published, withdrawn)", s)
}

// Label is the status as staff read it.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Review:
		return "待审核"
	case Published:
		return "已发布"
	case Withdrawn:
		return "已撤回"
	}
	return string(s)
}

// Themes are the catalogue's 16 themes, in display order.
var Themes = []string{"户籍", "社保", "医保", "就业创业", "养老服务", "社会救助", "残疾人服务", "婚姻登记",
	"生育收养", "教育", "住房", "公积金", "企业开办", "企业经营", "税务", "退役军人"}

// Item is one government service item, with the fields of the fixture
// format (../shared/kb/README.md) plus aliases. Unknown keys survive a
// round trip in Extra.
type Item struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Aliases    []string   `json:"aliases,omitempty"`
	Theme      string     `json:"theme"`
	Audience   []string   `json:"audience"`
	Department string     `json:"department"`
	Kind       string     `json:"kind"`
	Summary    string     `json:"summary"`
	Conditions []string   `json:"conditions"`
	Materials  []Material `json:"materials"`
	Process    []string   `json:"process"`
	TimeLimit  TimeLimit  `json:"time_limit"`
	Fee        string     `json:"fee"`
	// Benefit is what a benefit item pays the resident (发放标准), kept
	// apart from Fee, which is what the resident pays.
	Benefit    string   `json:"benefit,omitempty"`
	LegalBasis []string `json:"legal_basis"`
	Online     Online   `json:"online"`
	Offline    Offline  `json:"offline"`
	Contact    string   `json:"contact"`
	FAQ        []FAQ    `json:"faq"`
	Doorstep   bool     `json:"doorstep"`
	Updated    string   `json:"updated"`
	// InternalNotes are what reviewers attach for staff (practice at the
	// window, exceptions, who to ask). Staff's expert answers cite them;
	// residents never see them: every resident-facing path reads items
	// through Public, and the search index holds public copies only.
	InternalNotes string `json:"internal_notes,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Material is one document an applicant brings.
type Material struct {
	Name   string `json:"name"`
	Form   string `json:"form"` // 原件 / 复印件 / 原件及复印件 / 电子 …
	Copies int    `json:"copies"`
	Note   string `json:"note,omitempty"`
}

// TimeLimit is in working days.
type TimeLimit struct {
	LegalDays    int    `json:"legal_days"`
	PromisedDays int    `json:"promised_days"`
	Note         string `json:"note,omitempty"`
}

// Online says whether and how the item can be handled on the internet.
type Online struct {
	Available bool   `json:"available"`
	Depth     string `json:"depth"` // 全程网办 / 一次到场 / 需到现场
	URL       string `json:"url"`
}

// Offline lists the halls that handle the item and whether they take
// appointments for it.
type Offline struct {
	Halls       []string `json:"halls"`
	Appointment bool     `json:"appointment"`
}

// FAQ is a high-frequency question with its answer.
type FAQ struct {
	Q string `json:"q"`
	A string `json:"a"`
	// Entry marks a question added as an FAQ entry (the console, a
	// lesson), not written in the item: the index keeps them apart.
	Entry bool `json:"-"`
}

var itemKeys = map[string]bool{"id": true, "name": true, "aliases": true, "theme": true, "audience": true,
	"department": true, "kind": true, "summary": true, "conditions": true, "materials": true, "process": true,
	"time_limit": true, "fee": true, "benefit": true, "legal_basis": true, "online": true, "offline": true, "contact": true,
	"faq": true, "doorstep": true, "updated": true, "internal_notes": true}

// Public is the item as residents may see it: without internal notes.
func (it Item) Public() Item {
	it.InternalNotes = ""
	return it
}

type itemJSON Item

// UnmarshalJSON decodes an item, keeping unknown keys in Extra.
func (it *Item) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var v itemJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*it = Item(v)
	for k, val := range raw {
		if !itemKeys[k] {
			if it.Extra == nil {
				it.Extra = map[string]json.RawMessage{}
			}
			it.Extra[k] = val
		}
	}
	return nil
}

// MarshalJSON encodes an item with its unknown keys.
func (it Item) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(itemJSON(it))
	if err != nil || len(it.Extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range it.Extra {
		if _, known := m[k]; !known {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// Validate reports what makes an item unusable. Only the id and the name
// are required; everything else may be filled in later by staff.
func (it *Item) Validate() error {
	var problems []string
	if strings.TrimSpace(it.ID) == "" {
		problems = append(problems, "id is empty")
	} else if strings.ContainsAny(it.ID, " \t\r\n/?#") {
		problems = append(problems, fmt.Sprintf("id %q contains spaces or URL characters", it.ID))
	}
	if strings.TrimSpace(it.Name) == "" {
		problems = append(problems, "name is empty")
	}
	for i, m := range it.Materials {
		if strings.TrimSpace(m.Name) == "" {
			problems = append(problems, fmt.Sprintf("materials[%d] has no name", i))
		}
		if m.Copies < 0 {
			problems = append(problems, fmt.Sprintf("materials[%d] copies is negative", i))
		}
	}
	if it.TimeLimit.LegalDays < 0 || it.TimeLimit.PromisedDays < 0 {
		problems = append(problems, "time_limit days are negative")
	}
	if u := it.Online.URL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		problems = append(problems, fmt.Sprintf("online.url %q is not an http(s) link", u))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// Hall is a service hall (服务大厅 / 便民服务窗口).
type Hall struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Address        string  `json:"address"`
	Hours          string  `json:"hours"`
	Phone          string  `json:"phone"`
	Lat            float64 `json:"lat"`
	Lng            float64 `json:"lng"`
	AppointmentURL string  `json:"appointment_url"`
}

// Validate reports what makes a hall unusable.
func (h *Hall) Validate() error {
	switch {
	case strings.TrimSpace(h.ID) == "":
		return fmt.Errorf("id is empty")
	case strings.TrimSpace(h.Name) == "":
		return fmt.Errorf("name is empty")
	}
	return nil
}

// Entry is a standalone FAQ entry staff maintain, optionally tied to an
// item (for example made from a question the assistant could not answer).
type Entry struct {
	ID       int64  `json:"id"`
	ItemID   string `json:"item_id,omitempty"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Status   Status `json:"status"`
}

// Policy is a policy document (政策文件) kept for citation and for the
// policy-matching room.
type Policy struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	DocNumber string   `json:"doc_number,omitempty"` // 发文字号
	Issuer    string   `json:"issuer,omitempty"`
	Issued    string   `json:"issued,omitempty"` // YYYY-MM-DD
	Body      string   `json:"body"`
	ItemIDs   []string `json:"item_ids,omitempty"`
	URL       string   `json:"url,omitempty"`
}
