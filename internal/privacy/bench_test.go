package privacy

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
)

// BenchmarkSealOpen seals and opens an address-sized value with each
// suite: what --crypto gm costs per sealed field.
//
//	go test -run '^$' -bench SealOpen -cpu 1 -count 6 ./internal/privacy/
func BenchmarkSealOpen(b *testing.B) {
	master := []byte("0123456789abcdef0123456789abcdef")
	for _, s := range []cryptosuite.Suite{cryptosuite.Standard, cryptosuite.GM} {
		k, err := NewKeysSuite(master, s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s.String(), func(b *testing.B) {
			for b.Loop() {
				sealed, err := k.Seal("深圳市福田区福华三路88号国际商会中心1201室")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := k.Open(sealed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
