package kb

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// One data row of an item sheet becomes one item (sheetLayout.item).

// item turns a data row into an item. Every cell that cannot be understood
// is named in the error, so one pass fixes the row.
func (l *sheetLayout) item(cells []string) (it Item, status Status, unnamed []int, err error) {
	var errs []string
	bad := func(i int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s (column %s): ", l.names[i], colName(i))+fmt.Sprintf(format, args...))
	}
	var (
		feeYesNo            *bool
		availableSet        bool
		legalNote, promNote string
		timeNotes           []string
	)
	keep := func(key, v string) {
		if it.Extra == nil {
			it.Extra = map[string]json.RawMessage{}
		}
		b, _ := json.Marshal(v)
		it.Extra[key] = b
	}
	for i, raw := range cells {
		v := cleanCell(raw)
		if v == "" {
			continue
		}
		if i >= len(l.fields) || (l.fields[i] == fIgnore && l.names[i] == "") {
			// A value under no header: kept, and the reader warns once.
			keep(unnamedKey(i), v)
			unnamed = append(unnamed, i)
			continue
		}
		switch f := l.fields[i]; f {
		case fIgnore:
			if l.extra[i] != "" {
				keep(l.extra[i], v)
			}
		case fID:
			setOnce(&it.ID, narrow(v))
		case fName:
			setOnce(&it.Name, v)
		case fAliases:
			it.Aliases = append(it.Aliases, splitList(v, true)...)
		case fTheme:
			setOnce(&it.Theme, v)
		case fAudience:
			for _, a := range splitList(v, true) {
				it.Audience = appendUnique(it.Audience, normAudience(a))
			}
		case fDepartment:
			setOnce(&it.Department, v)
		case fKind:
			setOnce(&it.Kind, v)
		case fSummary:
			setOnce(&it.Summary, v)
		case fConditions:
			it.Conditions = append(it.Conditions, splitList(v, false)...)
		case fMaterials:
			for j, s := range splitList(v, false) {
				m, err := parseMaterial(s)
				if err != nil {
					bad(i, "material %d %q: %v", j+1, clip(s, 40), err)
					continue
				}
				it.Materials = append(it.Materials, m)
			}
		case fProcess:
			it.Process = append(it.Process, splitList(v, false)...)
		case fTimeLimit:
			legal, prom, note, err := parseTimeLimit(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			if legal != 0 || it.TimeLimit.LegalDays == 0 {
				it.TimeLimit.LegalDays = legal
			}
			if prom != 0 || it.TimeLimit.PromisedDays == 0 {
				it.TimeLimit.PromisedDays = prom
			}
			if note != "" {
				timeNotes = append(timeNotes, note)
			}
		case fLegalDays, fPromisedDays:
			d, note, err := parseDays(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			if f == fLegalDays {
				it.TimeLimit.LegalDays, legalNote = d, note
			} else {
				it.TimeLimit.PromisedDays, promNote = d, note
			}
		case fTimeNote:
			timeNotes = append(timeNotes, v)
		case fFee:
			setOnce(&it.Fee, v)
		case fBenefit:
			setOnce(&it.Benefit, v)
		case fFeeYesNo:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			feeYesNo = &b
		case fLegalBasis:
			it.LegalBasis = append(it.LegalBasis, splitList(v, false)...)
		case fOnlineAvailable:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.Online.Available, availableSet = b, true
		case fOnlineDepth:
			setOnce(&it.Online.Depth, normDepth(v))
		case fOnlineURL:
			u := narrow(v)
			if strings.HasPrefix(strings.ToLower(u), "www.") {
				u = "https://" + u
			}
			setOnce(&it.Online.URL, u)
		case fHalls:
			for _, h := range splitList(v, true) {
				it.Offline.Halls = appendUnique(it.Offline.Halls, h)
			}
		case fAppointment:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.Offline.Appointment = b
		case fContact:
			setOnce(&it.Contact, v)
		case fFAQ:
			faq, err := parseFAQ(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.FAQ = append(it.FAQ, faq...)
		case fDoorstep:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.Doorstep = b
		case fUpdated:
			d, err := parseDate(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			setOnce(&it.Updated, d)
		case fStatus:
			st, err := ParseStatus(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			status = st
		}
	}
	if legalNote != "" {
		timeNotes = append(timeNotes, "法定："+legalNote)
	}
	if promNote != "" {
		timeNotes = append(timeNotes, "承诺："+promNote)
	}
	it.TimeLimit.Note = strings.Join(timeNotes, "；")
	if it.Fee == "" && feeYesNo != nil {
		if *feeYesNo {
			it.Fee = "收费"
		} else {
			it.Fee = "不收费"
		}
	}
	if !availableSet {
		switch it.Online.Depth {
		case "全程网办", "一次到场":
			it.Online.Available = true
		case "":
			it.Online.Available = it.Online.URL != ""
		}
	}
	// Lists are empty rather than absent, as in the JSONL catalogue, so the
	// same item from either source stores identically.
	for _, p := range []*[]string{&it.Audience, &it.Conditions, &it.Process, &it.LegalBasis, &it.Offline.Halls} {
		if *p == nil {
			*p = []string{}
		}
	}
	if it.Materials == nil {
		it.Materials = []Material{}
	}
	if it.FAQ == nil {
		it.FAQ = []FAQ{}
	}
	normaliseItem(&it)
	if err := it.Validate(); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return Item{}, "", unnamed, errors.New(strings.Join(errs, "; "))
	}
	return it, status, unnamed, nil
}

// unnamedKey is the extra-data key of a value in a column without a header.
func unnamedKey(col int) string { return "列" + colName(col) }

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
