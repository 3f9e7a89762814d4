package web

// The console's bulk import of the catalogue (批量导入): JSONL, CSV or XLSX,
// every skipped line reported with its number.

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

type uploadData struct {
	Report   *kb.Report
	File     string
	Err      string
	Publish  bool
	Problems []kb.Problem
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) error {
	d := uploadData{Publish: currentUser(r).Can(auth.Publish)}
	s.render(w, r, http.StatusOK, "upload.html", s.consolePage(r, "upload", "批量导入", d))
	return nil
}

var uploadExts = map[string]bool{".jsonl": true, ".csv": true, ".xlsx": true}

// upload imports a JSONL, CSV or XLSX file and reports line by line what
// was skipped. Everything uploaded goes to the chosen state, so a file
// from someone who may not publish waits for review; a published item
// keeps serving and its uploaded content waits as a pending revision.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	d := uploadData{Publish: u.Can(auth.Publish)}
	show := func(status int) {
		p := s.consolePage(r, "upload", "批量导入", d)
		s.render(w, r, status, "upload.html", p)
	}
	st, err := kb.ParseStatus(r.FormValue("status"))
	if err != nil || st == kb.Withdrawn {
		st = kb.Review
	}
	if st == kb.Published && !d.Publish {
		st = kb.Review
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		d.Err = "请选择要上传的文件（.jsonl、.csv 或 .xlsx，不超过 25 MB）。"
		show(http.StatusBadRequest)
		return nil
	}
	defer f.Close()
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	d.File = name
	if !uploadExts[strings.ToLower(filepath.Ext(name))] || strings.HasPrefix(name, ".") {
		d.Err = "不支持的文件类型：请上传 .jsonl、.csv 或 .xlsx 文件。"
		show(http.StatusBadRequest)
		return nil
	}
	dir, err := os.MkdirTemp("", "fuwu-upload-")
	if err != nil {
		return broken("服务器无法保存上传文件。", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	out, err := os.Create(path)
	if err == nil {
		_, err = io.Copy(out, f)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		d.Err = "上传失败：文件过大或连接中断。"
		show(http.StatusBadRequest)
		return nil
	}
	rep, err := s.cfg.KB.ImportPath(r.Context(), path, "", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: st, ForceStatus: true, Revise: true, Actor: u.Username}})
	for i := range rep.Problems {
		rep.Problems[i].File = strings.TrimPrefix(rep.Problems[i].File, dir+string(filepath.Separator))
	}
	d.Report = &rep
	if err != nil {
		d.Err = "导入中止：" + strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		slog.WarnContext(r.Context(), "upload import", "file", name, "err", err)
	}
	s.audit(r, nil, "kb.upload", "file:"+name, map[string]any{"status": string(st), "created": rep.Items.Created,
		"updated": rep.Items.Updated, "revised": rep.Items.Revised, "halls": rep.Halls, "skipped": rep.Skipped()})
	show(http.StatusOK)
	return nil
}
