package provider

// This file is the fast path's encoder: the msgpack bytes of the plugin
// protocol, written as terraform-plugin-go's own encoder writes them
// (FuzzNumberEncoding compares the two on numbers), so that the data
// sources' state can be written straight from the API's answer without
// building tftypes values first. Numbers keep the API's decimal text: see
// number.

import (
	"encoding/json"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// wire appends values in the msgpack encoding of the plugin protocol, byte
// for byte as terraform-plugin-go's encoder writes them.
type wire struct {
	buf []byte
	err error
}

// fail keeps the error the framework's mapping would report (firstError);
// the caller checks it once at the end.
func (w *wire) fail(err error) { w.err = firstError(w.err, err) }

func (w *wire) null() { w.buf = append(w.buf, 0xc0) }

func (w *wire) bool(b bool) {
	if b {
		w.buf = append(w.buf, 0xc3)
	} else {
		w.buf = append(w.buf, 0xc2)
	}
}

func (w *wire) string(s string) {
	w.stringHeader(len(s))
	w.buf = append(w.buf, s...)
}

func (w *wire) stringHeader(n int) {
	switch {
	case n < 32:
		w.buf = append(w.buf, 0xa0|byte(n))
	case n < 1<<8:
		w.buf = append(w.buf, 0xd9, byte(n))
	case n < 1<<16:
		w.buf = append(w.buf, 0xda, byte(n>>8), byte(n))
	default:
		w.buf = append(w.buf, 0xdb, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

func (w *wire) stringPtr(s *string) {
	if s == nil {
		w.null()
	} else {
		w.string(*s)
	}
}

// int writes i in the fewest bytes, as msgpack's EncodeInt does.
func (w *wire) int(i int64) {
	switch u := uint64(i); {
	case i >= 0 && i <= math.MaxInt8, i < 0 && i >= -32:
		w.buf = append(w.buf, byte(i))
	case i >= 0 && i <= math.MaxUint8:
		w.buf = append(w.buf, 0xcc, byte(u))
	case i >= 0 && i <= math.MaxUint16:
		w.buf = append(w.buf, 0xcd, byte(u>>8), byte(u))
	case i >= 0 && i <= math.MaxUint32:
		w.buf = append(w.buf, 0xce, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
	case i >= 0:
		w.buf = append(w.buf, 0xcf)
		w.buf = binaryAppend64(w.buf, u)
	case i >= math.MinInt8:
		w.buf = append(w.buf, 0xd0, byte(u))
	case i >= math.MinInt16:
		w.buf = append(w.buf, 0xd1, byte(u>>8), byte(u))
	case i >= math.MinInt32:
		w.buf = append(w.buf, 0xd2, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
	default:
		w.buf = append(w.buf, 0xd3)
		w.buf = binaryAppend64(w.buf, u)
	}
}

func binaryAppend64(b []byte, u uint64) []byte {
	return append(b, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

func (w *wire) float64(f float64) {
	w.buf = append(w.buf, 0xcb)
	w.buf = binaryAppend64(w.buf, math.Float64bits(f))
}

// number writes a number of the API's answer as terraform-plugin-go writes
// that decimal parsed at Terraform's precision: a whole number that fits
// an int64 as an integer, one a float64 holds exactly as a float64, any
// other as its decimal text. The usual prices are told apart from their
// text alone; any other goes through big.Float as the framework's would.
func (w *wire) number(model, attribute string, text json.Number) {
	if text == "" {
		w.null()
		return
	}
	if w.shortDecimal(string(text)) {
		return
	}
	f, err := parseNumber(string(text))
	if err != nil {
		w.fail(numberError{model: model, attribute: attribute, text: string(text), err: err})
		w.null()
		return
	}
	w.bigNumber(f)
}

// bigNumber is tftypes' own choice of encoding for a number.
func (w *wire) bigNumber(f *big.Float) {
	if i, acc := f.Int64(); acc == big.Exact {
		w.int(i)
	} else if x, acc := f.Float64(); acc == big.Exact && !f.IsInt() {
		w.float64(x)
	} else {
		w.string(f.Text('f', -1))
	}
}

// pow5 holds 5^k for every k whose power fits a uint64.
var pow5 = func() []uint64 {
	p := []uint64{1}
	for p[len(p)-1] <= math.MaxUint64/5 {
		p = append(p, p[len(p)-1]*5)
	}
	return p
}()

// shortDecimal writes a JSON number of at most 18 significant digits and a
// small exponent, and reports whether it did. Such a number is m·10^e with
// m < 10^18. With e ≥ 0 it is whole. With e < 0 and trailing zeros of m
// removed, it is a binary fraction only if 5^-e divides m, and a float64
// holds it exactly if the quotient has at most 53 bits; otherwise 512 bits
// hold it closely enough that its shortest decimal at that precision is
// the text itself, which tftypes then writes in 'f' form.
func (w *wire) shortDecimal(s string) bool {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var m uint64
	var digits, e int
	seenPoint, seenDigit := false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			seenPoint = true
			continue
		case c < '0' || c > '9':
		default:
			seenDigit = true
			if seenPoint {
				e--
			}
			if m == 0 && c == '0' {
				continue
			}
			if digits == 18 {
				return false
			}
			m = m*10 + uint64(c-'0')
			digits++
			continue
		}
		break
	}
	if !seenDigit {
		return false
	}
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return false
		}
		exp := s[i+1:]
		expNeg := strings.HasPrefix(exp, "-")
		exp = strings.TrimLeft(exp, "+-")
		if len(exp) == 0 || len(exp) > 4 {
			return false
		}
		x := 0
		for _, c := range []byte(exp) {
			if c < '0' || c > '9' {
				return false
			}
			x = x*10 + int(c-'0')
		}
		if expNeg {
			x = -x
		}
		e += x
	}
	if m == 0 {
		w.int(0)
		return true
	}
	for m%10 == 0 {
		m /= 10
		e++
	}
	sign := int64(1)
	if neg {
		sign = -1
	}
	switch {
	case e >= 0:
		for ; e > 0; e-- {
			if m > math.MaxInt64/10 {
				return false
			}
			m *= 10
		}
		w.int(sign * int64(m)) //nolint:gosec // m ≤ MaxInt64 by the loop above
		return true
	case -e < len(pow5) && m%pow5[-e] == 0:
		q := m / pow5[-e]
		if q >= 1<<53 {
			return false
		}
		w.float64(float64(sign) * math.Ldexp(float64(q), e))
		return true
	case -e > 100:
		return false
	default:
		w.decimal(neg, m, -e)
		return true
	}
}

// decimal writes ±m·10^-k as a string in the 'f' form of big.Float's
// Text: no exponent, no trailing zeros (m has none).
func (w *wire) decimal(neg bool, m uint64, k int) {
	var scratch [20]byte
	digits := strconv.AppendUint(scratch[:0], m, 10)
	n := len(digits) + 1
	if k >= len(digits) {
		n = k + 2 // "0." and k digits
	}
	if neg {
		n++
	}
	w.stringHeader(n)
	if neg {
		w.buf = append(w.buf, '-')
	}
	if k >= len(digits) {
		w.buf = append(w.buf, '0', '.')
		for range k - len(digits) {
			w.buf = append(w.buf, '0')
		}
		w.buf = append(w.buf, digits...)
		return
	}
	w.buf = append(w.buf, digits[:len(digits)-k]...)
	w.buf = append(w.buf, '.')
	w.buf = append(w.buf, digits[len(digits)-k:]...)
}

// numberTable writes a map of prices, null when nil.
func (w *wire) numberTable(model, attribute string, m map[string]json.Number) {
	writeMap(w, m, func(k string, text json.Number) { w.number(model, attribute+"."+k, text) })
}

// writeMap writes m with its keys sorted, so one answer always encodes the
// same way, or null when m is nil.
func writeMap[V any](w *wire, m map[string]V, value func(string, V)) {
	if m == nil {
		w.null()
		return
	}
	w.mapLen(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.string(k)
		value(k, m[k])
	}
}

func (w *wire) arrayLen(n int) { w.collectionLen(n, 0x90, 0xdc, 0xdd) }

func (w *wire) mapLen(n int) { w.collectionLen(n, 0x80, 0xde, 0xdf) }

func (w *wire) collectionLen(n int, fix, len16, len32 byte) {
	switch {
	case n < 16:
		w.buf = append(w.buf, fix|byte(n))
	case n < 1<<16:
		w.buf = append(w.buf, len16, byte(n>>8), byte(n))
	default:
		w.buf = append(w.buf, len32, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}
