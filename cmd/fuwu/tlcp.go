package main

import (
	"errors"
	"flag"
)

// bindSM2TLS adds the flags an operator would look for to serve HTTPS with
// SM2 certificates (TLCP, GB/T 38636-2020) and returns a check that
// refuses them with what to do instead. Fuwu does not speak TLCP: the one
// Go implementation (github.com/Trisia/gotlcp, which the SM library's
// README points to) is not served by the module proxy Fuwu builds from, so
// it could not be vetted or depended on (docs/crypto.md).
func bindSM2TLS(fs *flag.FlagSet) func() error {
	cert := fs.String("sm2-cert", "", "not supported: SM2/TLCP HTTPS is terminated at a gateway (docs/crypto.md)")
	key := fs.String("sm2-key", "", "not supported: see --sm2-cert")
	return func() error {
		if *cert == "" && *key == "" {
			return nil
		}
		return errors.New("--sm2-cert/--sm2-key: fuwu does not serve HTTPS with SM2 certificates (TLCP) itself; " +
			"terminate TLCP at a gateway or load balancer that holds the SM2 signing and encryption certificates " +
			"and forwards plain HTTP to fuwu on 127.0.0.1 (with --trust-proxy and --secure-cookies); see docs/crypto.md")
	}
}
