package web

import (
	"net/http"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/risk"
)

// routes is the map of the product: every URL the server answers, grouped
// by who calls it, each with the permission it needs and the rate limit it
// counts against. A feature that is not configured (no booking service, no
// conversation store, …) has no routes.
//
// Audiences:
//   - residents' pages: no login; unsafe methods need the CSRF token
//   - residents' API under /api/v1: JSON, no cookie, no CSRF token
//   - staff console under /admin: login, and a permission per route
//   - devices' API (city sensors): a bearer token per device, no cookie,
//     no CSRF token
//   - operations: health, readiness, metrics (ops.go)
//
// Rate limits:
//   - s.perAddress: Config.ChatRate messages a minute per client address
//     (burst Config.ChatBurst), for everything that asks the assistant or
//     files something in a resident's name
//   - booking codes: 30 guesses per address per 15 minutes, counted where
//     a code is checked (verifiedBooking, renderLookup), so that a page
//     showing a lookup form without a code costs nothing
//   - staff login: auth.LoginGuard, inside loginPost
func (s *Server) routes() {
	// Residents' pages.
	s.bindChatPages()
	s.bindCataloguePages()
	if s.cfg.Booking != nil {
		s.bindBookingPages()
	}
	if s.cfg.Doorstep != nil {
		s.bindDoorstepPages()
	}
	if s.cfg.Policy != nil {
		s.bindPolicyPages()
	}
	if s.cfg.Library != nil {
		s.bindLibraryPages()
	}
	if s.cfg.Greening != nil {
		s.bindGreeningPages()
	}
	if s.cfg.Video != nil {
		s.bindVideoPages()
	}
	s.bindAssets()

	// Residents' API.
	s.bindChatAPI()
	s.bindCatalogueAPI()
	if s.cfg.Booking != nil {
		s.bindBookingAPI()
	}
	if s.cfg.Doorstep != nil {
		s.bindDoorstepAPI()
	}

	// Staff console.
	s.bindLogin()
	s.bindAccounts()
	s.bindKnowledge()
	if s.cfg.Booking != nil {
		s.bindBookingConsole()
	}
	if s.cfg.Doorstep != nil {
		s.bindDoorstepConsole()
	}
	if s.cfg.Policy != nil {
		s.bindPolicyConsole()
	}
	if s.cfg.Convo != nil {
		s.bindQuality()
		s.bindHandoffs()
	}
	if s.cfg.Audit != nil {
		s.bindAudit()
	}
	if s.cfg.Lexicon != nil {
		s.bindLexicon()
	}
	s.bindDocs()
	if s.cfg.City != nil {
		s.bindCityScreen()
		s.bindCityConsole()
	}
	if s.cfg.Greening != nil {
		s.bindGreeningConsole()
	}
	if s.cfg.Risk != nil {
		s.bindRiskConsole()
	}
	if s.cfg.Library != nil {
		s.bindLibraryConsole()
	}
	if s.cfg.Teaching != nil {
		s.bindTeachingConsole()
	}
	if s.cfg.Video != nil {
		s.bindVideoConsole()
	}

	// Devices' API.
	if s.cfg.City != nil && s.cfg.City.Pipeline != nil {
		s.bindCityDevicesAPI()
	}
	if s.cfg.Risk != nil && s.cfg.Risk.City != nil {
		s.bindRiskDevicesAPI()
	}

	// Operations.
	s.bindOps()

	// Anything else: a page in Chinese rather than Go's plain 404 text.
	s.public("/", s.notFound)
}

// Residents' pages.

func (s *Server) bindChatPages() {
	s.public("GET /{$}", s.chatPage)
	s.public("POST /chat", s.chatForm, s.perAddress)
	s.public("POST /chat/stream", s.chatPageStream, s.perAddress)
	s.public("POST /feedback", s.feedbackForm)
	s.public("POST /prefs", s.prefs)
}

func (s *Server) bindCataloguePages() {
	s.public("GET /items", s.itemsPage)
	s.public("GET /items/{id}", s.itemPage)
}

func (s *Server) bindBookingPages() {
	s.public("GET /booking", s.bookingPage)
	s.public("POST /booking", s.bookingSubmit, s.perAddress)
	s.public("GET /booking/lookup", s.bookingLookup)          // code guesses counted
	s.public("POST /booking/cancel", s.bookingCancel)         // code guesses counted
	s.public("POST /booking/reschedule", s.bookingReschedule) // code guesses counted
}

func (s *Server) bindDoorstepPages() {
	s.public("GET /doorstep", s.doorstepPage)
	s.public("POST /doorstep", s.doorstepSubmit, s.perAddress)
	s.public("GET /doorstep/lookup", s.doorstepLookupPage)
	s.public("POST /doorstep/lookup", s.doorstepLookup, s.perAddress)
	s.public("POST /doorstep/cancel", s.doorstepCancel, s.perAddress)
}

// bindPolicyPages is the 政策计算器. The answers go by POST: they
// describe a person, and a query string would put them in access logs and
// browser history.
func (s *Server) bindPolicyPages() {
	s.public("GET /policies/check", s.policyCheckPage)
	s.public("POST /policies/check", s.policyCheckSubmit, s.perAddress)
}

// bindVideoPages is 视频导办 for residents. A session is opened only with
// the capability in the fuwu_video cookie (set when the resident joins the
// queue); its WebSocket carries the signalling, captions, chat and cards.
func (s *Server) bindVideoPages() {
	s.public("GET /video", s.videoStart)
	s.public("POST /video", s.videoRequest, s.perAddress)
	s.public("GET /video/s/{id}", s.videoCall)
	s.public("GET /video/s/{id}/ws", s.videoSocket) // WebSocket; same-origin check in package video
	s.public("POST /video/s/{id}/rate", s.videoRate)
	s.public("POST /video/s/{id}/leave", s.videoLeave)
}

// bindAssets serves the embedded scripts, styles, images and the API's
// description.
func (s *Server) bindAssets() {
	s.public("GET /static/", s.static)
	s.public("GET /favicon.ico", s.favicon)
	s.public("GET /api/openapi.yaml", s.apiDescription)
}

// Residents' API.

func (s *Server) bindChatAPI() {
	s.public("POST /api/v1/chat", s.apiChat, s.perAddress)
	s.public("POST /api/v1/chat/stream", s.apiChatStream, s.perAddress)
	s.public("GET /api/v1/conversations/{id}", s.apiConversation)
	s.public("POST /api/v1/feedback", s.apiFeedback)
	s.public("POST /api/v1/transcribe", s.apiTranscribe, s.perAddress)
}

func (s *Server) bindCatalogueAPI() {
	s.public("GET /api/v1/items/{id}", s.apiItem)
}

func (s *Server) bindBookingAPI() {
	s.public("GET /api/v1/booking/halls", s.apiBookingHalls)
	s.public("GET /api/v1/booking/days", s.apiBookingDays)
	s.public("GET /api/v1/booking/slots", s.apiBookingSlots)
	s.public("POST /api/v1/bookings", s.apiBook, s.perAddress)
	s.public("GET /api/v1/bookings/{code}", s.apiBookingGet)                    // code guesses counted
	s.public("POST /api/v1/bookings/{code}/cancel", s.apiBookingCancel)         // code guesses counted
	s.public("POST /api/v1/bookings/{code}/reschedule", s.apiBookingReschedule) // code guesses counted
}

func (s *Server) bindDoorstepAPI() {
	s.public("GET /api/v1/doorstep/catalogue", s.apiDoorstepCatalogue)
	s.public("POST /api/v1/doorstep/requests", s.apiDoorstepSubmit, s.perAddress)
	s.public("POST /api/v1/doorstep/requests/lookup", s.apiDoorstepLookup, s.perAddress)
}

// Staff console.

func (s *Server) bindLogin() {
	s.public("GET /admin/login", s.loginPage)
	s.public("POST /admin/login", s.loginPost) // auth.LoginGuard
	s.public("POST /admin/logout", s.logout)
	s.staff("GET /admin", auth.ViewConsole, s.dashboard)
}

func (s *Server) bindAccounts() {
	s.staff("GET /admin/users", auth.ManageUsers, s.usersPage)
	s.staff("POST /admin/users", auth.ManageUsers, s.userAdd)
	s.staff("POST /admin/users/{id}", auth.ManageUsers, s.userUpdate)
	s.staff("POST /admin/users/{id}/password", auth.ManageUsers, s.userPassword)
}

func (s *Server) bindKnowledge() {
	s.staff("GET /admin/items", auth.EditKnowledge, s.adminItems)
	s.staff("GET /admin/items/new", auth.EditKnowledge, s.itemNew)
	s.staff("POST /admin/items/new", auth.EditKnowledge, s.itemCreate)
	s.staff("GET /admin/items/{id}", auth.EditKnowledge, s.itemEdit)
	s.staff("POST /admin/items/{id}", auth.EditKnowledge, s.itemSave)
	s.staff("POST /admin/items/{id}/status", auth.EditKnowledge, s.itemStatus)
	s.staff("POST /admin/items/{id}/revision", auth.EditKnowledge, s.itemRevision)
	s.staff("GET /admin/upload", auth.EditKnowledge, s.uploadPage)
	s.staff("POST /admin/upload", auth.EditKnowledge, s.upload)
	s.staff("GET /admin/faq", auth.EditKnowledge, s.faqPage)
	s.staff("POST /admin/faq", auth.EditKnowledge, s.faqSave)
	s.staff("GET /admin/halls", auth.EditKnowledge, s.hallsPage)
	s.staff("GET /admin/halls/{id}", auth.EditKnowledge, s.hallEdit)
	s.staff("POST /admin/halls/{id}", auth.EditKnowledge, s.hallSave)
	s.staff("POST /admin/halls/{id}/change", auth.Publish, s.hallChangeAction)
}

func (s *Server) bindBookingConsole() {
	s.staff("GET /admin/booking", auth.ManageBookings, s.adminBooking)
	s.staff("POST /admin/booking/{code}/{action}", auth.ManageBookings, s.adminBookingAction)
}

func (s *Server) bindDoorstepConsole() {
	s.staff("GET /admin/doorstep", auth.Dispatch, s.adminDoorstep)
	s.staff("GET /admin/doorstep/export.xlsx", auth.Dispatch, s.adminDoorstepExport)
	s.staff("GET /admin/doorstep/specialists", auth.Dispatch, s.adminSpecialists)
	s.staff("POST /admin/doorstep/specialists", auth.Dispatch, s.adminSpecialistAdd)
	s.staff("POST /admin/doorstep/catalogue", auth.Dispatch, s.adminDoorstepCatalogue)
	s.staff("GET /admin/doorstep/{id}", auth.Dispatch, s.adminDoorstepRequest)
	s.staff("POST /admin/doorstep/{id}/{action}", auth.Dispatch, s.adminDoorstepAction)
}

// bindPolicyConsole is the policy library (review → publish, expiring
// policies, the source document), 政策找人 with its export and outreach
// (names, phones and addresses masked; outreach opens them for the
// door-to-door request, each opening audited), 免申即享 batches (an
// editor computes one, another person approves or returns it) and their
// statistics. Staff who hold ViewPolicy read (not the city operators
// nor teachers).
func (s *Server) bindPolicyConsole() {
	s.staff("GET /admin/policies", auth.ViewPolicy, s.adminPolicies)
	s.staff("POST /admin/policies/import", auth.EditKnowledge, s.adminPolicyImport)
	s.staff("GET /admin/policy-export/{file}", auth.ViewPolicy, s.adminPolicyExport)
	s.staff("GET /admin/policy-fields", auth.ViewPolicy, s.adminPolicyFields)
	s.staff("POST /admin/policy-fields", auth.EditKnowledge, s.adminPolicyFieldSave)
	s.staff("POST /admin/policy-fields/delete", auth.EditKnowledge, s.adminPolicyFieldDelete)
	s.staff("GET /admin/policies/{id}", auth.ViewPolicy, s.adminPolicy)
	s.staff("POST /admin/policies/{id}/submit", auth.EditKnowledge, s.adminPolicyStep)
	s.staff("POST /admin/policies/{id}/publish", auth.Publish, s.adminPolicyStep)
	s.staff("POST /admin/policies/{id}/return", auth.Publish, s.adminPolicyStep)
	s.staff("POST /admin/policies/{id}/withdraw", auth.Publish, s.adminPolicyStep)
	s.staff("GET /admin/policies/{id}/prospects", auth.Dispatch, s.adminProspects)
	s.staff("GET /admin/policies/{id}/prospects.xlsx", auth.Dispatch, s.adminProspectsExport)
	s.staff("POST /admin/policies/{id}/outreach", auth.Dispatch, s.adminOutreach)
	s.staff("GET /admin/policy-batches", auth.ViewPolicy, s.adminBatches)
	s.staff("POST /admin/policy-batches", auth.EditKnowledge, s.adminBatchCreate)
	s.staff("GET /admin/policy-batches/{id}", auth.ViewPolicy, s.adminBatch)
	s.staff("GET /admin/policy-batches/{id}/export.xlsx", auth.ViewPolicy, s.adminBatchExport)
	s.staff("POST /admin/policy-batches/{id}/approve", auth.Publish, s.adminBatchDecide)
	s.staff("POST /admin/policy-batches/{id}/return", auth.Publish, s.adminBatchDecide)
	s.staff("GET /admin/policy-stats", auth.ViewPolicy, s.adminPolicyStats)
}

// bindQuality is the conversation record: transcripts, questions the
// assistant could not answer, residents' ratings.
func (s *Server) bindQuality() {
	s.staff("GET /admin/conversations", auth.ReadQuality, s.conversationsPage)
	s.staff("GET /admin/conversations/{id}", auth.ReadQuality, s.conversationPage)
	s.staff("GET /admin/unanswered", auth.ReadQuality, s.unansweredPage)
	s.staff("POST /admin/unanswered/learn", auth.EditKnowledge, s.learnSave)
	s.staff("GET /admin/expert", auth.Consult, s.expertPage)
	s.staff("POST /admin/expert", auth.Consult, s.expertAsk)
	s.staff("POST /admin/synonyms/{id}", auth.Publish, s.synonymStep)
	s.staff("POST /admin/scope-lessons/{id}", auth.Publish, s.scopeLessonStep)
	s.staff("GET /admin/feedback", auth.ReadQuality, s.feedbackPage)
}

// bindHandoffs is the queue of conversations handed to a person.
func (s *Server) bindHandoffs() {
	s.staff("GET /admin/handoffs", auth.HandleTickets, s.handoffsPage)
	s.staff("GET /admin/handoffs/{id}", auth.HandleTickets, s.handoffPage)
	s.staff("POST /admin/handoffs/{id}/{action}", auth.HandleTickets, s.handoffAction)
}

func (s *Server) bindAudit() {
	s.staff("GET /admin/audit", auth.ReadAudit, s.auditPage)
}

// bindVideoConsole is 视频导办 for clerks: the queue (live over a
// WebSocket, which also counts the clerk online), accepting, the call,
// the figures and their export. A call's page and socket belong to the
// clerk who accepted it.
func (s *Server) bindVideoConsole() {
	s.staff("GET /admin/video", auth.VideoGuide, s.adminVideo)
	s.staff("GET /admin/video/ws", auth.VideoGuide, s.adminVideoSocket)
	s.staff("GET /admin/video/stats", auth.VideoGuide, s.adminVideoStats)
	s.staff("GET /admin/video/stats.json", auth.VideoGuide, s.adminVideoStatsJSON)
	s.staff("GET /admin/video/export.xlsx", auth.VideoGuide, s.adminVideoExport)
	s.staff("GET /admin/video/{id}", auth.VideoGuide, s.adminVideoCall)
	s.staff("GET /admin/video/{id}/ws", auth.VideoGuide, s.adminVideoCallSocket)
	s.staff("GET /admin/video/{id}/conversation", auth.VideoGuide, s.adminVideoConversation)
	s.staff("POST /admin/video/{id}/accept", auth.VideoGuide, s.adminVideoAccept)
	s.staff("POST /admin/video/{id}/end", auth.VideoGuide, s.adminVideoEnd)
	// Recording (only with --video-record-days and the resident's consent):
	// the clerk's browser uploads chunks; downloading needs its own permission.
	s.staff("POST /admin/video/{id}/recording", auth.VideoGuide, s.adminVideoRecordChunk)
	s.staff("GET /admin/video/{id}/recordings", auth.VideoRecordings, s.adminVideoRecordings)
	s.staff("GET /admin/video/{id}/recordings/{part}", auth.VideoRecordings, s.adminVideoRecordingDownload)
}

// bindLexicon is the sensitive-word lexicon.
func (s *Server) bindLexicon() {
	s.staff("GET /admin/sensitive", auth.EditLexicon, s.sensitivePage)
	s.staff("POST /admin/sensitive", auth.EditLexicon, s.sensitivePut)
	s.staff("POST /admin/sensitive/delete", auth.EditLexicon, s.sensitiveDelete)
}

// bindDocs is the official-document assistant (公文写作助手).
func (s *Server) bindDocs() {
	s.staff("GET /admin/docs", auth.ViewConsole, s.docsHome)
	s.staff("GET /admin/docs/check", auth.ViewConsole, s.docsCheckPage)
	s.staff("POST /admin/docs/check", auth.ViewConsole, s.docsCheck)
	s.staff("GET /admin/docs/draft", auth.ViewConsole, s.docsDraftPage)
	s.staff("POST /admin/docs/draft", auth.ViewConsole, s.docsDraft)
	s.staff("POST /admin/docs/export", auth.ViewConsole, s.docsExport)
}

// bindCityScreen is the one-screen environment dashboard (一屏统览). /city
// is its short address; the page lives under /admin because the staff
// session cookie is scoped to /admin (residents' pages never carry it).
func (s *Server) bindCityScreen() {
	s.public("GET /city", s.cityShort)
	s.staff("GET /admin/city/screen", auth.ViewCity, s.cityPage)
	s.staff("GET /admin/city/api/state", auth.ViewCity, s.cityState)
	s.staff("GET /admin/city/api/trend", auth.ViewCity, s.cityTrend)
	s.staff("GET /admin/city/events", auth.ViewCity, s.cityEvents) // Server-Sent Events
}

// bindCityConsole is city operations' handling: alerts, polluters'
// exceedance events, devices, construction sites' dust measures. Every
// change is audited.
func (s *Server) bindCityConsole() {
	s.staff("GET /admin/city", auth.ManageCity, s.cityConsole)
	s.staff("POST /admin/city/alerts/{id}/{action}", auth.ManageCity, s.cityAlertAction)
	s.staff("POST /admin/city/exceedances/{id}/{action}", auth.ManageCity, s.cityExceedanceAction)
	s.staff("GET /admin/city/devices", auth.ManageCity, s.cityDevices)
	s.staff("POST /admin/city/devices", auth.ManageCity, s.cityDeviceSave)
	s.staff("POST /admin/city/devices/import", auth.ManageCity, s.cityDeviceImport)
	s.staff("GET /admin/city/devices/{id}", auth.ManageCity, s.cityDeviceEdit)
	s.staff("POST /admin/city/devices/{id}/token", auth.ManageCity, s.cityDeviceToken)
	s.staff("GET /admin/city/dust", auth.ManageCity, s.cityDust)
	s.staff("POST /admin/city/dust/{site}", auth.ManageCity, s.cityDustAck)
}

// bindRiskConsole is community waterlogging and fire risk: the risk map
// with every community's level, its reasons and its checklist (ticked by
// the grid workers), the incidents, the fire ranking with its inspection
// tasks, and re-assessing now; the static picture, edited per area or
// imported from CSV/Excel. The city duty officers' permissions: who
// sees the city dashboard reads (view_city); who handles city alerts acts
// (manage_city). Every change is audited.
func (s *Server) bindRiskConsole() {
	s.staff("GET /admin/risk", auth.ViewCity, s.riskHome)
	s.staff("GET /admin/risk/api/map", auth.ViewCity, s.riskMapAPI)
	s.staff("POST /admin/risk/assess", auth.ManageCity, s.riskAssess)
	s.staff("POST /admin/risk/check", auth.ManageCity, s.riskCheckItem)
	s.staff("POST /admin/risk/fire-tasks/{id}/close", auth.ManageCity, s.riskTaskClose)
	s.staff("POST /admin/risk/fire-alarms/{id}/close", auth.ManageCity, s.riskAlarmClose)
	s.staff("GET /admin/risk/data", auth.ViewCity, s.riskData)
	s.staff("POST /admin/risk/import", auth.ManageCity, s.riskImport)
	s.staff("GET /admin/risk/areas/{id}", auth.ViewCity, s.riskAreaEdit)
	s.staff("POST /admin/risk/areas/{id}", auth.ManageCity, s.riskAreaSave)
}

// Devices' API.

// bindGreeningPages is the residents' tree report (树木隐患报告): a
// description, a place and a photo become a work order.
func (s *Server) bindGreeningPages() {
	s.public("GET /greening/report", s.greeningReportPage)
	s.public("POST /greening/report", s.greeningReportSubmit, s.perAddress)
}

// bindGreeningConsole is greening maintenance: the inventory and its map,
// plans, risk rankings, work orders with photos, evaluation, the monthly
// report and the maintenance Q&A. Reading needs view_greening; changes
// need manage_greening.
func (s *Server) bindGreeningConsole() {
	s.staff("GET /admin/greening", auth.ViewGreening, s.greeningHome)
	s.staff("GET /admin/greening/api/map", auth.ViewGreening, s.greeningMapAPI)
	s.staff("GET /admin/greening/api/evaluation", auth.ViewGreening, s.greeningEvalAPI)
	s.staff("GET /admin/greening/trees", auth.ViewGreening, s.greeningTrees)
	s.staff("GET /admin/greening/trees/{id}", auth.ViewGreening, s.greeningTree)
	s.staff("POST /admin/greening/trees", auth.ManageGreening, s.greeningTreeSave)
	s.staff("POST /admin/greening/import", auth.ManageGreening, s.greeningImport)
	s.staff("GET /admin/greening/plan", auth.ViewGreening, s.greeningPlan)
	s.staff("POST /admin/greening/plan", auth.ManageGreening, s.greeningPlanIssue)
	s.staff("GET /admin/greening/risk", auth.ViewGreening, s.greeningRisk)
	s.staff("GET /admin/greening/orders", auth.ViewGreening, s.greeningOrders)
	s.staff("POST /admin/greening/orders", auth.ManageGreening, s.greeningOrderNew)
	s.staff("GET /admin/greening/orders/{id}", auth.ViewGreening, s.greeningOrder)
	s.staff("POST /admin/greening/orders/{id}/assign", auth.ManageGreening, s.greeningOrderAssign)
	s.staff("POST /admin/greening/orders/{id}/photos", auth.ManageGreening, s.greeningOrderPhoto)
	s.staff("POST /admin/greening/orders/{id}/complete", auth.ManageGreening, s.greeningOrderComplete)
	s.staff("GET /admin/greening/orders/{id}/photos/{photo}", auth.ViewGreening, s.greeningPhoto)
	s.staff("GET /admin/greening/evaluation", auth.ViewGreening, s.greeningEvaluation)
	s.staff("GET /admin/greening/report", auth.ViewGreening, s.greeningReportExport)
	s.staff("GET /admin/greening/knowledge", auth.ViewGreening, s.greeningKnowledge)
	s.staff("POST /admin/greening/knowledge", auth.ManageGreening, s.greeningSpeciesSave)
	s.staff("GET /admin/greening/ask", auth.ViewGreening, s.greeningAsk)
}

// bindCityDevicesAPI takes sensor readings in batches: citymon checks the
// device's bearer token against the stored hash and bounds a body at 8 MiB;
// it answers only after the batch committed (503: send again).
func (s *Server) bindCityDevicesAPI() {
	s.mount("POST /api/v1/city/readings", s.cfg.City.Pipeline.Handler()) // citymon answers, errors included
}

// bindRiskDevicesAPI takes rain forecasts from a weather feed: the bearer
// token of a weather-kind city device; package risk answers, errors
// included.
func (s *Server) bindRiskDevicesAPI() {
	s.mount("POST /api/v1/city/forecasts", risk.ForecastHandler(s.cfg.Risk.Store, s.cfg.Risk.City))
}

// guard wraps a route's handler: a rate limit.
type guard func(http.Handler) http.Handler

// route is one row of the table as bound, kept for the tests that walk
// every route.
type route struct {
	pattern string
	perm    auth.Permission // "" for public routes
	limited bool            // behind a rate limit
}

// public registers a handler anyone may call, behind its guards.
func (s *Server) public(pattern string, h handler, guards ...guard) {
	hh := s.serve(h)
	for _, g := range guards {
		hh = g(hh)
	}
	s.mux.Handle(pattern, hh)
	s.bound = append(s.bound, route{pattern: pattern, limited: len(guards) > 0})
}

// mount registers a handler another package owns, which answers (and
// logs) its own errors.
func (s *Server) mount(pattern string, h http.Handler) {
	s.mux.Handle(pattern, h)
	s.bound = append(s.bound, route{pattern: pattern})
}

// staff registers a console handler that needs a logged-in user holding
// perm; others are sent to the login page (GET) or refused (403).
func (s *Server) staff(pattern string, perm auth.Permission, h handler) {
	s.mux.Handle(pattern, s.require(perm, s.serve(h)))
	s.bound = append(s.bound, route{pattern: pattern, perm: perm})
}

func (s *Server) bindLibraryPages() {
	s.public("GET /library", s.libraryHome, s.perAddress) // asks when q is set
	s.public("GET /library/documents/{id}", s.libraryDocument)
}

func (s *Server) bindLibraryConsole() {
	s.staff("GET /admin/library", auth.ReadLibrary, s.libraryHome) // asks when q is set
	s.staff("GET /admin/library/documents/{id}", auth.ReadLibrary, s.libraryDocument)
	s.staff("GET /admin/library/import", auth.ImportLibrary, s.libraryImportPage)
	s.staff("POST /admin/library/import", auth.ImportLibrary, s.libraryImport)
	s.staff("POST /admin/library/collections", auth.ManageLibrary, s.libraryCollectionSave)
	s.staff("POST /admin/library/documents/{id}/delete", auth.ManageLibrary, s.libraryDocumentDelete)
}

func (s *Server) bindTeachingConsole() {
	s.staff("GET /admin/teaching", auth.Teach, s.teachingHome)
	s.staff("GET /admin/teaching/plans", auth.Teach, s.teachingPlans)
	s.staff("POST /admin/teaching/plans", auth.Teach, s.teachingPlanCreate)
	s.staff("GET /admin/teaching/plans/{id}", auth.Teach, s.teachingPlan)
	s.staff("POST /admin/teaching/plans/{id}/revise", auth.Teach, s.teachingPlanRevise)
	s.staff("POST /admin/teaching/plans/{id}/edit", auth.Teach, s.teachingPlanEdit)
	s.staff("GET /admin/teaching/plans/{id}/plan.docx", auth.Teach, s.teachingPlanDOCX)
	s.staff("GET /admin/teaching/bank", auth.Teach, s.teachingBank)
	s.staff("POST /admin/teaching/bank", auth.Teach, s.teachingBankImport)
	s.staff("GET /admin/teaching/sets", auth.Teach, s.teachingSet)
	s.staff("GET /admin/teaching/sets/set.docx", auth.Teach, s.teachingSetDOCX)
	s.staff("GET /admin/teaching/classes", auth.Teach, s.teachingClasses)
	s.staff("POST /admin/teaching/results", auth.Teach, s.teachingResultsImport)
	s.staff("GET /admin/teaching/classes/{class}", auth.Teach, s.teachingClass)
	s.staff("POST /admin/teaching/classes/{class}/pairs", auth.Teach, s.teachingPropose)
	s.staff("POST /admin/teaching/pairs/{id}/{action}", auth.Teach, s.teachingPairDecide)
	s.staff("GET /admin/teaching/classes/{class}/students/{student}", auth.Teach, s.teachingStudent)
	s.staff("GET /admin/teaching/classes/{class}/students/{student}/set.docx", auth.Teach, s.teachingStudentDOCX)
	s.staff("GET /admin/teaching/drafts", auth.Teach, s.teachingDrafts)
	s.staff("POST /admin/teaching/drafts", auth.Teach, s.teachingDraftCreate)
	s.staff("GET /admin/teaching/drafts/{id}", auth.Teach, s.teachingDraft)
	s.staff("POST /admin/teaching/drafts/{id}", auth.Teach, s.teachingDraftEdit)
	s.staff("POST /admin/teaching/drafts/{id}/share", auth.Teach, s.teachingDraftShare)
}

// perAddress refuses a client address asking faster than Config.ChatRate a
// minute (429 with Retry-After).
func (s *Server) perAddress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.rateLimited(w, r) {
			return
		}
		h.ServeHTTP(w, r)
	})
}

// notFound is every URL no route matches: a page in Chinese rather than
// Go's plain text.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	s.renderError(w, r, http.StatusNotFound, "页面不存在。")
	return nil
}

// apiDescription is the residents' API described (openapi.yaml).
func (s *Server) apiDescription(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(openAPI)
	return nil
}

// cityShort is /city, the dashboard's short address.
func (s *Server) cityShort(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/admin/city/screen", http.StatusSeeOther)
	return nil
}
