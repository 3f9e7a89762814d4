package assistant

import "testing"

// The cache keeps the state of the later write whatever order the puts
// come in, forgets what it is told to, and a nil cache holds nothing.
func TestStateCache(t *testing.T) {
	c := NewStateCache()
	a, b := c.next(), c.next()
	c.put("x", "later", b)
	c.put("x", "earlier", a) // the earlier commit's caller came back last
	if raw, ok := c.get("x"); !ok || raw != "later" {
		t.Errorf("get = %q, %v; want the later write", raw, ok)
	}
	c.put("x", "latest", c.next())
	if raw, _ := c.get("x"); raw != "latest" {
		t.Errorf("get = %q; want latest", raw)
	}
	c.drop("x")
	if _, ok := c.get("x"); ok {
		t.Error("dropped state still cached")
	}
	var none *StateCache
	none.put("x", "s", none.next())
	if _, ok := none.get("x"); ok {
		t.Error("nil cache holds a state")
	}
	none.drop("x")
}

// A full cache makes room rather than grow.
func TestStateCacheBound(t *testing.T) {
	c := NewStateCache()
	for i := range maxCachedStates + 10 {
		c.put(string(rune('a'+i%26))+string(rune(i)), "s", c.next())
	}
	if n := len(c.m); n > maxCachedStates {
		t.Errorf("%d states cached, bound %d", n, maxCachedStates)
	}
}
