package kb

// ExcelLike is excelLike for the external tests.
var ExcelLike = excelLike
