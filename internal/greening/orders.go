package greening

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Order sources.
const (
	FromPlan       = "plan"
	FromPrediction = "prediction"
	FromPatrol     = "patrol"
	FromResident   = "resident"
)

// SourceNames are the sources in Chinese.
var SourceNames = map[string]string{FromPlan: "养护计划", FromPrediction: "风险预测", FromPatrol: "巡查发现", FromResident: "市民报告"}

// TaskPest is a pest or disease seen by a patrol or a resident: such
// orders are the pest reports plans react to.
const TaskPest = "pest"

func init() { TaskNames[TaskPest] = "虫害处置" }

// Order statuses.
const (
	StatusOpen     = "open"     // 待派单
	StatusAssigned = "assigned" // 已派单
	StatusDone     = "done"     // 已完成
	StatusCanceled = "canceled" // 已撤销
)

// StatusNames are the statuses in Chinese.
var StatusNames = map[string]string{StatusOpen: "待派单", StatusAssigned: "处理中", StatusDone: "已完成", StatusCanceled: "已撤销"}

// Teams are the maintenance teams orders go to.
var Teams = []string{"养护一队", "养护二队", "养护三队", "植保队", "古树名木养护组"}

// Order is a work order.
type Order struct {
	ID        int64     `json:"id"`
	Source    string    `json:"source"`
	Task      string    `json:"task"`
	Title     string    `json:"title"`
	Detail    string    `json:"detail,omitempty"`
	Tree      string    `json:"tree,omitempty"`
	Count     int       `json:"trees"` // trees the order covers (1 unless from a plan task)
	Street    string    `json:"street,omitempty"`
	Lon       float64   `json:"lon,omitempty"`
	Lat       float64   `json:"lat,omitempty"`
	Team      string    `json:"team,omitempty"`
	Status    string    `json:"status"`
	Reporter  string    `json:"reporter,omitempty"` // a resident's conversation, or staff user
	Created   time.Time `json:"created"`
	Due       time.Time `json:"due"`
	Done      time.Time `json:"done,omitzero"`
	DoneBy    string    `json:"done_by,omitempty"`
	Result    string    `json:"result,omitempty"`
	Health    string    `json:"health,omitempty"` // the tree's grade after the work
	Synthetic bool      `json:"synthetic,omitempty"`
	Photos    []Photo   `json:"photos,omitempty"`
}

// Overdue reports whether the order is unfinished past its due time.
func (o Order) Overdue(now time.Time) bool {
	return (o.Status == StatusOpen || o.Status == StatusAssigned) && now.After(o.Due)
}

// dueIn is how long each kind of work may take.
func dueIn(task string) time.Duration {
	switch task {
	case TaskTopple, TaskTyphoonPrep:
		return 24 * time.Hour
	case TaskPest, TaskPestInspect:
		return 3 * 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// CreateOrder files a work order. A resident's or patrol's report without
// a tree is matched to the nearest tree within 30 m, so that it lands in
// the tree's history; the due time follows the task's urgency.
func (s *Store) CreateOrder(ctx context.Context, o Order) (Order, error) {
	o.Title, o.Detail = strings.TrimSpace(o.Title), strings.TrimSpace(o.Detail)
	if _, ok := SourceNames[o.Source]; !ok {
		return o, fmt.Errorf("%w: 工单来源 %q", ErrInput, o.Source)
	}
	if _, ok := TaskNames[o.Task]; !ok {
		return o, fmt.Errorf("%w: 工单类型 %q", ErrInput, o.Task)
	}
	if o.Title == "" {
		o.Title = TaskName(o.Task)
	}
	if len([]rune(o.Title)) > 200 || len([]rune(o.Detail)) > 4000 {
		return o, fmt.Errorf("%w: 标题或说明过长", ErrInput)
	}
	if o.Tree != "" {
		t, err := s.Tree(ctx, o.Tree)
		if err != nil {
			return o, err
		}
		o.Street, o.Lon, o.Lat = t.Street, t.Lon, t.Lat
	} else if o.Lon != 0 || o.Lat != 0 {
		if t, ok, err := s.NearestTree(ctx, o.Lon, o.Lat, 30); err != nil {
			return o, err
		} else if ok {
			o.Tree = t.ID
			if o.Street == "" {
				o.Street = t.Street
			}
		}
	}
	if o.Created.IsZero() {
		o.Created = s.now()
	}
	if o.Due.IsZero() {
		o.Due = o.Created.Add(dueIn(o.Task))
	}
	if o.Count <= 0 {
		o.Count = 1
	}
	o.Status = StatusOpen
	if o.Team != "" {
		o.Status = StatusAssigned
	}
	q := `INSERT INTO greening_orders (source, task, title, detail, tree_id, trees, street, lon, lat, team, status, reporter, created_at, due_at, synthetic)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	args := []any{o.Source, o.Task, o.Title, o.Detail, o.Tree, o.Count, o.Street, o.Lon, o.Lat, o.Team, o.Status, o.Reporter, store.T(o.Created), store.T(o.Due), b2i(o.Synthetic)}
	if s.db.Dialect == store.Postgres {
		if err := s.db.QueryRow(ctx, q+` RETURNING id`, args...).Scan(&o.ID); err != nil {
			return o, fmt.Errorf("create order: %w", err)
		}
	} else {
		res, err := s.db.Exec(ctx, q, args...)
		if err != nil {
			return o, fmt.Errorf("create order: %w", err)
		}
		o.ID, _ = res.LastInsertId()
	}
	_ = s.db.Publish(ctx, Topic, "orders")
	return o, nil
}

// NearestTree finds the tree nearest a point within radius metres.
func (s *Store) NearestTree(ctx context.Context, lon, lat, radius float64) (Tree, bool, error) {
	d := radius / 100000 * 1.2
	rows, err := s.db.Query(ctx, `SELECT `+treeCols+` FROM greening_trees WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?`,
		lon-d, lon+d, lat-d, lat+d)
	if err != nil {
		return Tree{}, false, fmt.Errorf("nearest tree: %w", err)
	}
	defer rows.Close()
	var ts []Tree
	for rows.Next() {
		t, err := scanTree(rows)
		if err != nil {
			return Tree{}, false, fmt.Errorf("nearest tree: %w", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return Tree{}, false, err
	}
	if i := newGrid(ts).nearest(lon, lat, radius); i >= 0 {
		return ts[i], true, nil
	}
	return Tree{}, false, nil
}

const orderCols = `id, source, task, title, detail, tree_id, trees, street, lon, lat, team, status, reporter, created_at, due_at, done_at, done_by, result, health, synthetic`

func scanOrder(sc interface{ Scan(...any) error }) (Order, error) {
	var o Order
	var cr, due, done store.Time
	var syn int
	err := sc.Scan(&o.ID, &o.Source, &o.Task, &o.Title, &o.Detail, &o.Tree, &o.Count, &o.Street, &o.Lon, &o.Lat, &o.Team, &o.Status, &o.Reporter,
		&cr, &due, &done, &o.DoneBy, &o.Result, &o.Health, &syn)
	o.Created, o.Due, o.Done, o.Synthetic = cr.Time, due.Time, done.Time, syn != 0
	return o, err
}

// Order returns one order with its photos' metadata.
func (s *Store) Order(ctx context.Context, id int64) (Order, error) {
	o, err := scanOrder(s.db.QueryRow(ctx, `SELECT `+orderCols+` FROM greening_orders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("%w: 工单 %d", ErrNotFound, id)
	}
	if err != nil {
		return o, fmt.Errorf("order %d: %w", id, err)
	}
	rows, err := s.db.Query(ctx, `SELECT id, phase, mime, size, created_at, created_by FROM greening_photos WHERE order_id = ? ORDER BY id`, id)
	if err != nil {
		return o, fmt.Errorf("order %d photos: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Photo
		var at store.Time
		if err := rows.Scan(&p.ID, &p.Phase, &p.MIME, &p.Size, &at, &p.By); err != nil {
			return o, fmt.Errorf("order %d photos: %w", id, err)
		}
		p.At = at.Time
		o.Photos = append(o.Photos, p)
	}
	return o, rows.Err()
}

// OrderFilter narrows an order listing.
type OrderFilter struct {
	Status  string // "" all, or a status, or "overdue"
	Source  string
	Street  string
	Team    string
	Tree    string
	Since   time.Time // created at or after
	Limit   int
	Overdue time.Time // with Status "overdue": the instant overdue is judged at
}

// Orders lists orders, newest first.
func (s *Store) Orders(ctx context.Context, f OrderFilter) ([]Order, error) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	switch f.Status {
	case "":
	case "overdue":
		add("status IN ('open','assigned') AND due_at < ?", store.T(f.Overdue))
	default:
		add("status = ?", f.Status)
	}
	if f.Source != "" {
		add("source = ?", f.Source)
	}
	if f.Street != "" {
		add("street = ?", f.Street)
	}
	if f.Team != "" {
		add("team = ?", f.Team)
	}
	if f.Tree != "" {
		add("tree_id = ?", f.Tree)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", store.T(f.Since))
	}
	q := `SELECT ` + orderCols + ` FROM greening_orders`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("orders: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Assign gives an open or assigned order to a team.
func (s *Store) Assign(ctx context.Context, id int64, team string) error {
	team = strings.TrimSpace(team)
	if team == "" {
		return fmt.Errorf("%w: 请选择养护班组", ErrInput)
	}
	res, err := s.db.Exec(ctx, `UPDATE greening_orders SET team = ?, status = 'assigned' WHERE id = ? AND status IN ('open','assigned')`, team, id)
	if err != nil {
		return fmt.Errorf("assign order %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: 工单 %d 不存在或已完成", ErrNotFound, id)
	}
	_ = s.db.Publish(ctx, Topic, "orders")
	return nil
}

// Complete closes an order: it needs an after photo (and a before photo
// for work on a tree found by a patrol or a resident). health, when set,
// is the tree's grade after the work and updates the tree, in the same
// transaction.
func (s *Store) Complete(ctx context.Context, id int64, by, result, health string) error {
	if health != "" && GradeName(health) == health {
		return fmt.Errorf("%w: 健康等级 %q", ErrInput, health)
	}
	o, err := s.Order(ctx, id)
	if err != nil {
		return err
	}
	if o.Status == StatusDone || o.Status == StatusCanceled {
		return fmt.Errorf("%w: 工单 %d 已%s", ErrInput, id, StatusNames[o.Status])
	}
	var before, after bool
	for _, p := range o.Photos {
		before = before || p.Phase == "before"
		after = after || p.Phase == "after"
	}
	if !after || (o.Source == FromResident || o.Source == FromPatrol) && !before {
		return fmt.Errorf("%w: 完成工单须上传处置前后照片", ErrNeedPhotos)
	}
	at := store.T(s.now())
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE greening_orders SET status = 'done', done_at = ?, done_by = ?, result = ?, health = ? WHERE id = ? AND status IN ('open','assigned')`,
			at, by, strings.TrimSpace(result), health, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: 工单 %d 已被处理", ErrInput, id)
		}
		if health != "" && o.Tree != "" {
			if _, err := tx.Exec(ctx, `UPDATE greening_trees SET health = ?, updated_at = ?, updated_by = ? WHERE id = ?`, health, at, by, o.Tree); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrInput) {
			return err
		}
		return fmt.Errorf("complete order %d: %w", id, err)
	}
	_ = s.db.Publish(ctx, Topic, "orders")
	return nil
}

// Cancel withdraws an unfinished order.
func (s *Store) Cancel(ctx context.Context, id int64, by, why string) error {
	res, err := s.db.Exec(ctx, `UPDATE greening_orders SET status = 'canceled', done_by = ?, result = ?, done_at = ? WHERE id = ? AND status IN ('open','assigned')`,
		by, why, store.T(s.now()), id)
	if err != nil {
		return fmt.Errorf("cancel order %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: 工单 %d 不存在或已完成", ErrNotFound, id)
	}
	return nil
}

// Photo is a before or after photo of an order.
type Photo struct {
	ID    int64     `json:"id"`
	Phase string    `json:"phase"` // before, after
	MIME  string    `json:"mime"`
	Size  int       `json:"size"`
	At    time.Time `json:"at"`
	By    string    `json:"by,omitempty"`
}

// MaxPhoto is the largest photo accepted.
const MaxPhoto = 5 << 20

// photoTypes are the image types accepted, by their sniffed content (the
// name and the declared type are not trusted).
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// AddPhoto stores a photo of an order after checking its size and that
// its content is an image.
func (s *Store) AddPhoto(ctx context.Context, order int64, phase string, data []byte, by string) (Photo, error) {
	if phase != "before" && phase != "after" {
		return Photo{}, fmt.Errorf("%w: 照片阶段应为 before 或 after", ErrPhoto)
	}
	if len(data) == 0 {
		return Photo{}, fmt.Errorf("%w: 照片为空", ErrPhoto)
	}
	if len(data) > MaxPhoto {
		return Photo{}, fmt.Errorf("%w: 照片超过 %d MB", ErrPhoto, MaxPhoto>>20)
	}
	mime := http.DetectContentType(data)
	if !photoTypes[mime] {
		return Photo{}, fmt.Errorf("%w: 只接受 JPEG、PNG、WebP 或 GIF 图片", ErrPhoto)
	}
	if _, err := s.Order(ctx, order); err != nil {
		return Photo{}, err
	}
	p := Photo{Phase: phase, MIME: mime, Size: len(data), At: s.now(), By: by}
	q := `INSERT INTO greening_photos (order_id, phase, mime, data, size, created_at, created_by) VALUES (?,?,?,?,?,?,?)`
	args := []any{order, phase, mime, data, len(data), store.T(p.At), by}
	if s.db.Dialect == store.Postgres {
		if err := s.db.QueryRow(ctx, q+` RETURNING id`, args...).Scan(&p.ID); err != nil {
			return p, fmt.Errorf("add photo: %w", err)
		}
	} else {
		res, err := s.db.Exec(ctx, q, args...)
		if err != nil {
			return p, fmt.Errorf("add photo: %w", err)
		}
		p.ID, _ = res.LastInsertId()
	}
	return p, nil
}

// PhotoData returns a photo's bytes and type; order must match, so that a
// photo id alone does not open another order's photo.
func (s *Store) PhotoData(ctx context.Context, order, id int64) ([]byte, string, error) {
	var data []byte
	var mime string
	err := s.db.QueryRow(ctx, `SELECT data, mime FROM greening_photos WHERE id = ? AND order_id = ?`, id, order).Scan(&data, &mime)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("%w: 照片 %d", ErrNotFound, id)
	}
	if err != nil {
		return nil, "", fmt.Errorf("photo %d: %w", id, err)
	}
	return data, mime, nil
}

// PestReports are the pest orders from patrols and residents since a
// time, with the species of their tree.
func (s *Store) PestReports(ctx context.Context, since time.Time) ([]PestReport, error) {
	rows, err := s.db.Query(ctx, `SELECT o.id, t.species, o.detail, o.street, o.lon, o.lat, o.created_at FROM greening_orders o
		JOIN greening_trees t ON t.id = o.tree_id WHERE o.task = 'pest' AND o.status <> 'canceled' AND o.created_at >= ? ORDER BY o.created_at`,
		store.T(since))
	if err != nil {
		return nil, fmt.Errorf("pest reports: %w", err)
	}
	defer rows.Close()
	var out []PestReport
	for rows.Next() {
		var p PestReport
		var at store.Time
		if err := rows.Scan(&p.Order, &p.Species, &p.Pest, &p.Street, &p.Lon, &p.Lat, &at); err != nil {
			return nil, fmt.Errorf("pest reports: %w", err)
		}
		p.At = at.Time
		if r := []rune(p.Pest); len(r) > 20 {
			p.Pest = string(r[:20]) + "…"
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// OrdersFromPlan files an order per plan task not skipped (a team may be
// named for all of them) and records the planned trees per street and
// task for the month, for "done vs planned". It returns the orders made.
func (s *Store) OrdersFromPlan(ctx context.Context, p Plan, team, by string) (int, error) {
	month := p.Period.Start.AddDate(0, 0, 3).In(Zone).Format("2006-01")
	planned := map[[2]string]int{}
	n := 0
	for _, t := range p.Tasks {
		if t.Skipped {
			continue
		}
		planned[[2]string{t.Street, t.Type}] += t.Count
		tree := ""
		if len(t.Trees) == 1 {
			tree = t.Trees[0]
		}
		due, _ := time.ParseInLocation("2006-01-02", t.Due, Zone)
		o := Order{Source: FromPlan, Task: t.Type, Title: fmt.Sprintf("%s · %s %s %d 株", t.Name, t.Street, t.Species, t.Count),
			Detail: strings.Join(t.Reasons, "\n") + "\n树木：" + strings.Join(t.Trees, "、"), Tree: tree, Count: t.Count, Street: t.Street, Team: team, Reporter: by}
		if !due.IsZero() {
			o.Due = due.Add(24*time.Hour - time.Second)
		}
		if _, err := s.CreateOrder(ctx, o); err != nil {
			return n, err
		}
		n++
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for k, v := range planned {
			if _, err := tx.Exec(ctx, `INSERT INTO greening_planned (month, street, task, trees) VALUES (?,?,?,?)
				ON CONFLICT (month, street, task) DO UPDATE SET trees = greening_planned.trees + excluded.trees`, month, k[0], k[1], v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("record planned work: %w", err)
	}
	return n, nil
}
