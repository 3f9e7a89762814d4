package registry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Problem is a row that was not imported, with its line and why.
type Problem = policy.Problem

// Progress is how far an import has got.
type Progress struct {
	Rows  int   // rows read
	Bytes int64 // bytes of the file read
	Total int64 // the file's size (0 when unknown)
}

// ImportOptions tune an import.
type ImportOptions struct {
	// Kind of the profiles (person or enterprise), unless the mapping
	// says.
	Kind policy.Target
	// Mapping from the file's columns; nil maps the headers (or JSONL
	// keys) it recognises: the special fields by their usual Chinese
	// names, the schema's fields by label or key.
	Mapping *Mapping
	// Schema types and units the fields.
	Schema policy.Schema
	// Source is recorded with every row (the file name).
	Source   string
	Progress func(Progress)
	// BatchSize is how many rows are written per transaction (default
	// 500).
	BatchSize int
}

// Report says what an import did.
type Report struct {
	Rows      int       `json:"rows"`
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Problems  []Problem `json:"problems"`
	Warnings  []string  `json:"warnings,omitempty"`
}

// Skipped is how many rows were not imported.
func (r Report) Skipped() int { return len(r.Problems) }

// maxProblems bounds the report: a file where every row is bad says so
// with the first rows and a count, not a million lines.
const maxProblems = 1000

// ImportFile imports a registry file, its format told by its extension
// (.csv, .txt, .xlsx, .jsonl).
func (s *Store) ImportFile(ctx context.Context, path string, opt ImportOptions) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Report{}, err
	}
	if opt.Source == "" {
		opt.Source = filepath.Base(path)
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	return s.Import(ctx, f, format, path, st.Size(), opt)
}

// Import reads a registry from r in format csv, xlsx or jsonl (name is
// the file's name for messages, size its length for progress, 0 when
// unknown). Rows are streamed and written in batches, each in one
// transaction, so a file of any size needs memory for one batch; a crash
// part-way leaves the rows of the committed batches, each whole, and a
// second import of the file completes it.
func (s *Store) Import(ctx context.Context, r io.Reader, format, name string, size int64, opt ImportOptions) (Report, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	im := &importer{s: s, opt: opt, file: name, seen: map[[16]byte]int32{}, total: size}
	cr := &countingReader{r: r}
	im.bytes = cr
	var err error
	switch format {
	case "csv", "txt", "tsv":
		err = im.readCSV(ctx, cr, format == "tsv")
	case "xlsx":
		err = im.readXLSX(ctx, cr)
	case "jsonl", "json", "ndjson":
		err = im.readJSONL(ctx, cr)
	default:
		return im.rep, fmt.Errorf("%s: format %q is not one of csv, xlsx, jsonl", name, format)
	}
	if err == nil {
		err = im.flush(ctx)
	}
	im.progress()
	if im.resync {
		s.announce(ctx, make([]string, announceMax+1))
	} else {
		s.announce(ctx, im.changed)
	}
	if im.dropped > 0 {
		im.rep.Warnings = append(im.rep.Warnings, fmt.Sprintf("%d more bad rows not listed", im.dropped))
	}
	if im.rep.Problems == nil {
		im.rep.Problems = []Problem{}
	}
	return im.rep, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type importer struct {
	s       *Store
	opt     ImportOptions
	file    string
	plan    *plan
	rep     Report
	batch   []prepared
	seen    map[[16]byte]int32 // key fingerprints imported so far → line
	changed []string
	resync  bool
	dropped int
	bytes   *countingReader
	total   int64
	// identity columns of JSONL read without a mapping, by key
	identity map[string]column
	cols     []column
}

func (im *importer) problem(line int, id, msg string) {
	if len(im.rep.Problems) >= maxProblems {
		im.dropped++
		return
	}
	im.rep.Problems = append(im.rep.Problems, Problem{File: im.file, Line: line, ID: id, Message: msg})
}

func (im *importer) progress() {
	if im.opt.Progress != nil {
		im.opt.Progress(Progress{Rows: im.rep.Rows, Bytes: im.bytes.n, Total: im.total})
	}
}

// openText turns a text file's bytes into UTF-8 as they stream: UTF-8
// with or without a byte-order mark, UTF-16 with one (Excel's "Unicode
// text"), otherwise GB18030 (what Excel on Chinese Windows writes).
func openText(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(8192)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		_, _ = br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10), nil
	}
	// Judge by whole lines: the peek may end inside a character.
	probe := head
	if i := bytes.LastIndexByte(probe, '\n'); i > 0 {
		probe = probe[:i]
	} else if len(probe) > 3 {
		probe = probe[:len(probe)-3]
	}
	if utf8.Valid(probe) {
		return br, nil
	}
	return bufio.NewReaderSize(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), 64<<10), nil
}

// sniffDelimiter picks the comma, tab or semicolon the first line has
// most of.
func sniffDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(4096)
	if i := bytes.IndexByte(head, '\n'); i > 0 {
		head = head[:i]
	}
	best, bestN := ',', bytes.Count(head, []byte(","))
	for _, d := range []rune{'\t', ';'} {
		if n := bytes.Count(head, []byte(string(d))); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// headerRows is how far down a sheet the header is looked for (a title
// row or two may come first).
const headerRows = 5

// takeHeader decides whether row is the header: the first of the first
// rows whose mapping (given, or recognised) finds its columns.
func (im *importer) takeHeader(row []string, line int) (bool, error) {
	m := im.opt.Mapping
	var unknown []string
	if m == nil {
		auto, u := AutoMapping(im.opt.Kind, im.opt.Schema, row)
		m, unknown = &auto, u
	}
	p, err := newPlan(*m, im.opt.Kind, im.opt.Schema, row)
	if err != nil {
		if line < headerRows {
			return false, nil
		}
		return false, fmt.Errorf("%s: no header row found in the first %d rows: %w", im.file, headerRows, err)
	}
	im.plan = p
	for _, u := range unknown {
		if strings.TrimSpace(u) != "" {
			im.rep.Warnings = append(im.rep.Warnings, fmt.Sprintf("%s line %d: column %q is not mapped to a field; ignored", im.file, line, u))
		}
	}
	return true, nil
}

func (im *importer) readCSV(ctx context.Context, r io.Reader, tab bool) error {
	br, err := openText(r)
	if err != nil {
		return fmt.Errorf("%s: %w", im.file, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(br)
	if tab {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			im.rep.Rows++
			im.problem(pe.StartLine, "", "the row is not valid CSV (a quote not closed, or a \" inside an unquoted cell)")
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", im.file, err)
		}
		line, _ := cr.FieldPos(0) // only for a record read without error
		if err := im.row(ctx, line, rec); err != nil {
			return err
		}
	}
	if im.plan == nil {
		return fmt.Errorf("%s: no header row found", im.file)
	}
	return nil
}

// row handles one row of a sheet: the header until it is found, then a
// profile.
func (im *importer) row(ctx context.Context, line int, rec []string) error {
	if im.plan == nil {
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			return nil
		}
		_, err := im.takeHeader(rec, line)
		return err
	}
	if strings.TrimSpace(strings.Join(rec, "")) == "" {
		return nil
	}
	im.rep.Rows++
	return im.add(ctx, line, im.plan.columns, func(c *column) any {
		if c.index < len(rec) {
			return rec[c.index]
		}
		return nil
	})
}

// maxXLSX bounds a registry workbook; larger registries come as CSV.
const maxXLSX = 512 << 20

func (im *importer) readXLSX(ctx context.Context, r io.Reader) (err error) {
	path := ""
	if f, ok := r.(*countingReader).r.(*os.File); ok {
		path = f.Name()
	} else {
		tmp, err := os.CreateTemp("", "fuwu-registry-*.xlsx")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		n, err := io.Copy(tmp, io.LimitReader(r, maxXLSX+1))
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", im.file, err)
		}
		if n > maxXLSX {
			return fmt.Errorf("%s: larger than %d MiB; save it as CSV", im.file, maxXLSX>>20)
		}
		path = tmp.Name()
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: the workbook is damaged (%v); open and save it again in Excel or WPS", im.file, p)
		}
	}()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: 2 << 30, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return fmt.Errorf("%s: not an .xlsx workbook (an old .xls, or a CSV renamed?): %w", im.file, err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		if visible, _ := f.GetSheetVisible(sheet); !visible || strings.Contains(sheet, "说明") {
			continue
		}
		rows, err := f.Rows(sheet)
		if err != nil {
			return fmt.Errorf("%s [%s]: %w", im.file, sheet, err)
		}
		n := 0
		for rows.Next() {
			n++
			cells, err := rows.Columns()
			if err != nil {
				im.rep.Rows++
				im.problem(n, "", "cannot read the row: "+err.Error())
				continue
			}
			if err := im.row(ctx, n, cells); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Error()
		rows.Close()
		if err != nil {
			return fmt.Errorf("%s [%s]: %w", im.file, sheet, err)
		}
		if im.plan != nil {
			return nil // the first sheet with a header is the registry
		}
	}
	return fmt.Errorf("%s: no sheet with a header row", im.file)
}

func (im *importer) readJSONL(ctx context.Context, r io.Reader) error {
	var ferr error
	err := policy.EachLine(r, func(n int, line []byte) {
		if ferr != nil {
			return
		}
		im.rep.Rows++
		obj, err := policy.DecodeFields(line)
		if err != nil {
			im.problem(n, "", err.Error())
			return
		}
		cols, err := im.jsonColumns(obj)
		if err != nil {
			ferr = err
			return
		}
		ferr = im.add(ctx, n, cols, func(c *column) any { return obj[c.Column.Column] })
	}, func(n int, msg string) {
		im.rep.Rows++
		im.problem(n, "", msg)
	})
	if ferr != nil {
		return ferr
	}
	return err
}

// jsonColumns are the columns of a JSONL line: the mapping's, or with no
// mapping every key of the line as the field of that name (typed by the
// schema when it knows it).
func (im *importer) jsonColumns(obj map[string]any) ([]column, error) {
	if im.opt.Mapping != nil {
		if im.plan == nil {
			p, err := newPlan(*im.opt.Mapping, im.opt.Kind, im.opt.Schema, nil)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", im.file, err)
			}
			im.plan = p
		}
		return im.plan.columns, nil
	}
	kind := im.opt.Kind
	if k, ok := obj["kind"].(string); ok && kind == "" {
		kind = policy.Target(k)
	}
	if im.plan == nil {
		if kind != policy.Person && kind != policy.Enterprise {
			return nil, fmt.Errorf("%s: the registry kind is not given (person or enterprise)", im.file)
		}
		im.plan = &plan{kind: kind}
		im.identity = map[string]column{}
	}
	cols := im.cols[:0]
	for k := range obj {
		c, ok := im.identity[k]
		if !ok {
			if k == "kind" || (!isSpecial(k) && !policy.ValidFieldKey(k)) {
				c.Field = ""
			} else {
				c = column{Column: Column{Column: k, Field: k}, index: -1, factor: 1}
				if f, ok := im.opt.Schema.Field(im.plan.kind, k); ok {
					c.Type = f.Type
				}
			}
			im.identity[k] = c
		}
		if c.Field != "" {
			cols = append(cols, c)
		}
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].Column.Column < cols[j].Column.Column })
	im.cols = cols
	return cols, nil
}

// prepared is a row ready to store: sealed, masked, hashed.
type prepared struct {
	line                      int
	id, keyFP, hash           string
	nameMasked, nameSealed    string
	idnoMasked, idnoSealed    string
	phoneMasked, phoneSealed  string
	addrMasked, addrSealed    string
	street, community, fields string
	key                       [16]byte
}

// add turns one row into a profile and queues it for the batch. A row
// that cannot be one is reported and skipped.
func (im *importer) add(ctx context.Context, line int, cols []column, get func(*column) any) error {
	kind := im.plan.kind
	var src, name, idno, uscc, phone, addr, street, community string
	fields := map[string]any{}
	for i := range cols {
		c := &cols[i]
		v, err := c.convert(get(c))
		if err != nil {
			im.problem(line, "", err.Error())
			return nil
		}
		if v == nil {
			continue
		}
		text := func() string {
			if s, ok := v.(string); ok {
				return strings.TrimSpace(s)
			}
			b, _ := json.Marshal(v)
			return strings.Trim(string(b), `"`)
		}
		switch c.Field {
		case FieldID:
			src = text()
		case FieldName:
			name = text()
		case FieldIDNumber:
			idno = text()
		case FieldUSCC:
			uscc = text()
		case FieldPhone:
			phone = text()
		case FieldAddress:
			addr = text()
		case FieldStreet:
			street = strings.TrimSuffix(text(), "街道")
		case FieldCommunity:
			community = text()
		default:
			fields[c.Field] = v
		}
	}
	if idno != "" {
		n, err := CheckIDNumber(idno)
		if err != nil {
			im.problem(line, src, err.Error())
			return nil
		}
		idno = n
		if kind == policy.Person {
			// The number says the birth date and sex; a registry that
			// does not list them separately still answers age().
			if _, ok := fields["birth_date"]; !ok {
				fields["birth_date"] = IDBirthDate(n)
			}
			if _, ok := fields["gender"]; !ok {
				fields["gender"] = IDGender(n)
			}
		}
	}
	if uscc != "" {
		n, err := CheckUSCC(uscc)
		if err != nil {
			im.problem(line, src, err.Error())
			return nil
		}
		uscc = n
		fields["uscc"] = n // public: conditions may read it
	}
	var key string
	switch {
	case src != "":
		if !validID(src) {
			im.problem(line, src, fmt.Sprintf("编号 %q 含有空格或 , / ? #，或长于64个字符", src))
			return nil
		}
		key = "id\x00" + src
	case kind == policy.Person && idno != "":
		key = "idno\x00" + idno
	case kind == policy.Enterprise && uscc != "":
		key = "uscc\x00" + uscc
	default:
		what := "公民身份号码"
		if kind == policy.Enterprise {
			what = "统一社会信用代码"
		}
		im.problem(line, "", "缺少"+what+"（或编号），无法确定是谁")
		return nil
	}
	keys := im.s.keys
	p := prepared{line: line, street: street, community: community}
	p.keyFP = keys.Fingerprint(privacy.Kind("registry-key:"+string(kind)), key)
	raw, _ := hex.DecodeString(p.keyFP)
	copy(p.key[:], raw)
	if first, dup := im.seen[p.key]; dup {
		im.problem(line, src, fmt.Sprintf("与第%d行是同一%s，已跳过", first, map[policy.Target]string{policy.Person: "人", policy.Enterprise: "企业"}[kind]))
		return nil
	}
	switch {
	case src != "":
		p.id = src
	case kind == policy.Person:
		p.id = "P-" + p.keyFP[:12]
	default:
		p.id = "E-" + uscc
	}
	if phone != "" {
		if m, ok := privacy.NormalizeMobile(phone); ok {
			phone, p.phoneMasked = m, privacy.MaskMobile(m)
		} else if !landline(phone) {
			im.problem(line, p.id, fmt.Sprintf("联系电话 %q 不是手机号或带区号的固定电话", phone))
			return nil
		} else {
			p.phoneMasked = privacy.MaskMobile(phone)
		}
	}
	p.nameMasked = name
	if kind == policy.Person {
		p.nameMasked = privacy.MaskName(name)
	}
	// An enterprise shows its public credit code; a person's ID number
	// (or a legal representative's) is masked.
	p.idnoMasked = privacy.MaskID(idno)
	if kind == policy.Enterprise && uscc != "" {
		p.idnoMasked = uscc
	}
	p.addrMasked = privacy.MaskAddress(addr)
	b, err := json.Marshal(fields)
	if err != nil {
		im.problem(line, p.id, "fields: "+err.Error())
		return nil
	}
	p.fields = string(b)
	sealed := idno
	if sealed == "" {
		sealed = uscc
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&p.nameSealed, name}, {&p.idnoSealed, sealed}, {&p.phoneSealed, phone}, {&p.addrSealed, addr}} {
		if *f.dst, err = keys.Seal(f.v); err != nil {
			return err
		}
	}
	p.hash = keys.Fingerprint(privacy.Kind("registry-row"), strings.Join([]string{string(kind), p.id, name, sealed, phone, addr, street, community, p.fields}, "\x00"))
	im.seen[p.key] = int32(line)
	im.batch = append(im.batch, p)
	if len(im.batch) >= im.opt.BatchSize {
		return im.flush(ctx)
	}
	return nil
}

// landline accepts a fixed line with its area code (0755-83988110) or a
// 400/800 number, as enterprises list them.
func landline(s string) bool {
	var digits []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '-' || c == ' ':
		default:
			return false
		}
	}
	n := len(digits)
	return (n >= 10 && n <= 12 && digits[0] == '0') || (n == 10 && (string(digits[:3]) == "400" || string(digits[:3]) == "800"))
}

// memoryJournal keeps SQLite's statement journals — the undo log of each
// multi-row INSERT inside a transaction — in memory instead of a temporary
// file (a third less system time on a 100 000-row import). The setting is
// the connection's; it is set again on whichever connection a batch gets.
func memoryJournal(ctx context.Context, tx *store.Tx) error {
	if tx.Dialect() != store.SQLite {
		return nil
	}
	_, err := tx.Exec(ctx, `PRAGMA temp_store = MEMORY`)
	return err
}

func validID(id string) bool {
	return id != "" && len(id) <= 64 && !strings.ContainsAny(id, " \t\r\n,/?#:")
}

// flush writes the queued rows in one transaction: new keys inserted,
// changed rows updated (keeping their ids), unchanged rows left alone.
func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	batch := im.batch
	im.batch = im.batch[:0]
	kind := im.plan.kind
	now := store.T(im.s.now())
	var created, updated, unchanged int
	var changed []string
	var clash []prepared
	err := im.s.db.InTx(ctx, func(tx *store.Tx) error {
		created, updated, unchanged, changed, clash = 0, 0, 0, changed[:0], clash[:0]
		if err := memoryJournal(ctx, tx); err != nil {
			return err
		}
		type existing struct{ id, hash string }
		have := map[string]existing{}
		args := make([]any, len(batch))
		for i, p := range batch {
			args[i] = p.keyFP
		}
		rows, err := tx.Query(ctx, `SELECT key_fp, id, row_hash FROM registry_profiles WHERE key_fp IN (?`+strings.Repeat(",?", len(batch)-1)+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var fp string
			var e existing
			if err := rows.Scan(&fp, &e.id, &e.hash); err != nil {
				rows.Close()
				return err
			}
			have[fp] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var fresh []prepared
		for _, p := range batch {
			e, ok := have[p.keyFP]
			switch {
			case !ok:
				fresh = append(fresh, p)
			case e.hash == p.hash:
				unchanged++
			default:
				if _, err := tx.Exec(ctx, `UPDATE registry_profiles SET kind = ?, name_masked = ?, name_sealed = ?, idno_masked = ?, idno_sealed = ?,
					phone_masked = ?, phone_sealed = ?, address_masked = ?, address_sealed = ?, street = ?, community = ?, fields = ?,
					row_hash = ?, source = ?, updated_at = ? WHERE key_fp = ?`,
					kind, p.nameMasked, p.nameSealed, p.idnoMasked, p.idnoSealed, p.phoneMasked, p.phoneSealed, p.addrMasked, p.addrSealed,
					p.street, p.community, p.fields, p.hash, im.opt.Source, now, p.keyFP); err != nil {
					return fmt.Errorf("update profile %s: %w", e.id, err)
				}
				updated++
				changed = append(changed, e.id)
			}
		}
		if len(fresh) == 0 {
			if updated > 0 {
				return bump(ctx, tx)
			}
			return nil
		}
		// An id already taken by another key (a source number reused)
		// is that row's problem, not the batch's.
		args = args[:0]
		for _, p := range fresh {
			args = append(args, p.id)
		}
		taken := map[string]bool{}
		rows, err = tx.Query(ctx, `SELECT id FROM registry_profiles WHERE id IN (?`+strings.Repeat(",?", len(fresh)-1)+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			taken[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ins := fresh[:0]
		for _, p := range fresh {
			if taken[p.id] {
				clash = append(clash, p)
			} else {
				ins = append(ins, p)
			}
		}
		const perInsert = 200
		for len(ins) > 0 {
			n := min(len(ins), perInsert)
			vals := make([]any, 0, n*18)
			for _, p := range ins[:n] {
				vals = append(vals, p.id, kind, p.keyFP, p.nameMasked, p.nameSealed, p.idnoMasked, p.idnoSealed, p.phoneMasked,
					p.phoneSealed, p.addrMasked, p.addrSealed, p.street, p.community, p.fields, p.hash, im.opt.Source, now, now)
				changed = append(changed, p.id)
			}
			q := `INSERT INTO registry_profiles (id, kind, key_fp, name_masked, name_sealed, idno_masked, idno_sealed, phone_masked,
				phone_sealed, address_masked, address_sealed, street, community, fields, row_hash, source, created_at, updated_at) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?),", n), ",")
			if _, err := tx.Exec(ctx, q, vals...); err != nil {
				return fmt.Errorf("insert profiles: %w", err)
			}
			created += n
			ins = ins[n:]
		}
		if created+updated > 0 {
			return bump(ctx, tx)
		}
		return nil
	})

	if err != nil {
		return fmt.Errorf("%s: rows %d–%d: %w", im.file, batch[0].line, batch[len(batch)-1].line, err)
	}
	im.rep.Created += created
	im.rep.Updated += updated
	im.rep.Unchanged += unchanged
	for _, p := range clash {
		im.problem(p.line, p.id, fmt.Sprintf("编号 %s 已属于另一条记录（身份证号或信用代码不同），已跳过", p.id))
	}
	if !im.resync {
		im.changed = append(im.changed, changed...)
		if len(im.changed) > announceMax {
			im.resync, im.changed = true, nil
		}
	}
	im.progress()
	return nil
}
