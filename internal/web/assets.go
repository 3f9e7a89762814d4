package web

// The embedded static files.

import (
	"net/http"
)

// static serves the embedded assets, cacheable for an hour.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.FileServerFS(staticFS).ServeHTTP(w, r)
	return nil
}

// favicon serves the site's icon where browsers ask for it.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) error {
	b, err := staticFS.ReadFile("static/favicon.ico")
	if err != nil {
		http.NotFound(w, r)
		return nil
	}
	w.Header().Set("Content-Type", "image/x-icon")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
	return nil
}
