package main

import "regexp"

// personalData finds ID card numbers (18 characters), mobile numbers and
// bank card numbers (16–19 digits) standing alone in a text.
var personalData = regexp.MustCompile(`(^|[^0-9])([1-9]\d{16}[\dXx]|1[3-9]\d{9}|[1-9]\d{15,18})($|[^0-9Xx])`)

// maskPersonal hides personal numbers before a message is kept or sent
// on. It is the interim guard until the privacy package (pii) is merged
// into main; the assistant's Mask hook and the transcript store call it.
func maskPersonal(s string) string {
	return personalData.ReplaceAllString(s, "${1}[已隐藏]${3}")
}
