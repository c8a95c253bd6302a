// Package inputlimit holds the limits yurt applies to untrusted text before
// any parser sees it: how deeply an HCL or JSON document may nest, and
// helpers to name a size limit and to quote bad input without echoing it in
// full.
//
// The nesting check exists because HCL's parser and evaluator recurse once
// per level of brackets, blocks, templates and operators: a task file of a
// few hundred kilobytes nested 60,000 deep exhausts the Go stack, which is a
// fatal error no recover() catches. The check is a single pass over the
// bytes that keeps a small stack of open constructs and stops at the first
// level past the limit, so it costs O(len(src)) time and O(limit) memory.
// It over-counts rather than under-counts: whatever it is unsure about
// (a closer that does not match, an operator) makes the count higher.
package inputlimit

import (
	"fmt"
)

// MaxNesting is the default nesting limit for every HCL and JSON document
// yurt parses. Real task files and agent configs nest fewer than 10 levels.
const MaxNesting = 100

// MaxTokens bounds the tokens of one HCL or JSON document. HCL's parser
// needs about 1.5 KB of memory per token (tokens, syntax tree, ranges), so
// a megabyte of "0," would cost over 400 MB; this caps a document's parse
// at a few tens of MB whatever its shape. A task with a driver config is
// about 50 tokens; a list item is two to four.
const MaxTokens = 5000

// DepthError says where a document first nests deeper than the limit.
type DepthError struct {
	Filename     string
	Line, Column int
	Byte         int // 0-based offset
	Limit        int
	What         string // "HCL" or "JSON"
}

// TokenError says a document has more tokens than the limit.
type TokenError struct {
	Filename     string
	Line, Column int
	Limit        int
}

// Position returns where the limit was passed.
func (e *TokenError) Position() (filename string, line, column int) {
	return e.Filename, e.Line, e.Column
}

// Position returns where the limit was passed.
func (e *DepthError) Position() (filename string, line, column int) {
	return e.Filename, e.Line, e.Column
}

// Positioned is an error from CheckHCL or CheckJSON: a *DepthError or a
// *TokenError.
type Positioned interface {
	error
	Position() (filename string, line, column int)
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("%s:%d:%d: more than %d tokens (words, numbers, strings, operators and punctuation); split the file or shorten its lists",
		e.Filename, e.Line, e.Column, e.Limit)
}

func (e *DepthError) Error() string {
	how := "every open bracket, brace, parenthesis, block, string template and operator of one expression counts one level"
	if e.What == "JSON" {
		how = "every open array and object counts one level"
	}
	return fmt.Sprintf("%s:%d:%d: nesting deeper than the limit of %d (%s: %s)", e.Filename, e.Line, e.Column, e.Limit, e.What, how)
}

type frameKind byte

const (
	fBracket  frameKind = iota // ( [ { in an expression or a block body
	fTemplate                  // ${ ... } or %{ ... } inside a string or heredoc
	fString                    // "..."
	fHeredoc                   // <<EOT ... EOT
)

type frame struct {
	kind   frameKind
	closer byte
	ops    int // operators counted in the current expression of this frame
	dirs   int // open %{if}/%{for} directives of a string or heredoc
	marker []byte
}

type scanner struct {
	src       []byte
	i         int
	line, col int
	limit     int
	filename  string
	stack     []frame
	topOps    int // operators of the current top-level expression
	depth     int
	tokens    int
	textRun   bool // inside the text of a string or heredoc line
	err       error
	lineStart bool // in heredoc mode: at the start of a line
}

// tok counts one token and reports whether the count is within MaxTokens.
func (s *scanner) tok() bool {
	s.tokens++
	if s.tokens > MaxTokens {
		s.err = &TokenError{Filename: s.filename, Line: s.line, Column: s.col, Limit: MaxTokens}
		return false
	}
	return true
}

func (s *scanner) fail() bool {
	s.err = &DepthError{Filename: s.filename, Line: s.line, Column: s.col, Byte: s.i, Limit: s.limit, What: "HCL"}
	return false
}

// add changes the depth by n and reports whether it is still within the limit.
func (s *scanner) add(n int) bool {
	s.depth += n
	if s.depth > s.limit {
		return s.fail()
	}
	return true
}

func (s *scanner) push(f frame) bool {
	s.stack = append(s.stack, f)
	return s.add(1)
}

func (s *scanner) pop() {
	f := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.depth -= 1 + f.ops + f.dirs
}

func (s *scanner) top() *frame {
	if len(s.stack) == 0 {
		return nil
	}
	return &s.stack[len(s.stack)-1]
}

// advance moves past n bytes, keeping line and column.
func (s *scanner) advance(n int) {
	for k := 0; k < n && s.i < len(s.src); k++ {
		if s.src[s.i] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
		s.i++
	}
}

func (s *scanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanner) op() bool {
	if f := s.top(); f != nil {
		f.ops++
	} else {
		s.topOps++
	}
	return s.add(1)
}

// endExpr forgets the operators of the expression that just ended.
func (s *scanner) endExpr() {
	if f := s.top(); f != nil {
		s.depth -= f.ops
		f.ops = 0
	} else {
		s.depth -= s.topOps
		s.topOps = 0
	}
}

// CheckHCL scans native HCL syntax and returns a *DepthError at the first
// place it nests deeper than limit (MaxNesting when limit <= 0), else nil.
func CheckHCL(src []byte, filename string, limit int) error {
	if limit <= 0 {
		limit = MaxNesting
	}
	s := &scanner{src: src, line: 1, col: 1, limit: limit, filename: filename}
	for s.i < len(s.src) {
		f := s.top()
		var ok bool
		switch {
		case f != nil && f.kind == fString:
			ok = s.stringByte(f)
		case f != nil && f.kind == fHeredoc:
			ok = s.heredocByte(f)
		default:
			ok = s.exprByte(f)
		}
		if !ok {
			return s.err
		}
	}
	return nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func (s *scanner) exprByte(f *frame) bool {
	c, n := s.peek(0), s.peek(1)
	if isIdentByte(c) || c == '.' {
		// A word or number (or a run of dots): one token.
		for s.i < len(s.src) && (isIdentByte(s.src[s.i]) || s.src[s.i] == '.') {
			s.advance(1)
		}
		return s.tok()
	}
	if c == ' ' || c == '\t' || c == '\r' {
		s.advance(1)
		return true
	}
	s.textRun = false
	if c != '#' && c != '/' && !s.tok() { // every other byte starts a token (or a comment)
		return false
	}
	switch {
	case c == '#' || c == '/' && n == '/':
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.advance(1)
		}
		return true
	case c == '/' && n == '*':
		s.advance(2)
		for s.i < len(s.src) && !(s.peek(0) == '*' && s.peek(1) == '/') {
			s.advance(1)
		}
		s.advance(2)
		return true
	case c == '"':
		s.advance(1)
		return s.push(frame{kind: fString})
	case c == '<' && n == '<':
		if marker, skip, ok := s.heredocStart(); ok {
			s.advance(skip)
			s.lineStart = true
			return s.push(frame{kind: fHeredoc, marker: marker})
		}
		s.advance(2)
		return s.op()
	case c == '[' || c == '{' || c == '(':
		closer := map[byte]byte{'[': ']', '{': '}', '(': ')'}[c]
		s.advance(1)
		return s.push(frame{kind: fBracket, closer: closer})
	case c == ']' || c == '}' || c == ')':
		s.advance(1)
		s.textRun = false
		// Only a matching closer pops; anything else is a syntax error the
		// parser reports, and ignoring it keeps the count high.
		if f != nil && f.closer == c && (f.kind == fBracket || f.kind == fTemplate) {
			s.pop()
		}
		return true
	case c == '\n':
		if f == nil || f.closer == '}' && f.kind == fBracket {
			s.endExpr()
		}
		s.advance(1)
		return true
	case c == ',':
		if f != nil && f.kind == fBracket {
			s.endExpr()
		}
		s.advance(1)
		return true
	case c == '&' && n == '&', c == '|' && n == '|', c == '=' && n == '=', c == '!' && n == '=',
		c == '<' && n == '=', c == '>' && n == '=', c == '=' && n == '>':
		s.advance(2)
		return s.op()
	case c == '!' || c == '-' || c == '+' || c == '*' || c == '/' || c == '%' || c == '<' || c == '>' || c == '?':
		s.advance(1)
		return s.op()
	}
	s.advance(1)
	return true
}

// heredocStart recognises <<ID or <<-ID followed by a newline.
func (s *scanner) heredocStart() (marker []byte, skip int, ok bool) {
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	start := j
	for j < len(s.src) && isIdentByte(s.src[j]) {
		j++
	}
	if j == start {
		return nil, 0, false
	}
	end := j
	if j < len(s.src) && s.src[j] == '\r' {
		j++
	}
	if j >= len(s.src) || s.src[j] != '\n' {
		return nil, 0, false
	}
	return s.src[start:end], j + 1 - s.i, true
}

// templateOpen handles ${ and %{ (and their escapes $${ and %%{) inside a
// string or heredoc; it reports whether it consumed anything.
func (s *scanner) templateOpen(f *frame) (consumed, ok bool) {
	c, n, m := s.peek(0), s.peek(1), s.peek(2)
	if (c == '$' || c == '%') && n == c && m == '{' {
		s.advance(3)
		return true, true
	}
	if (c != '$' && c != '%') || n != '{' {
		return false, true
	}
	if c == '%' {
		j := s.i + 2
		for j < len(s.src) && (s.src[j] == '~' || s.src[j] == ' ' || s.src[j] == '\t') {
			j++
		}
		k := j
		for k < len(s.src) && isIdentByte(s.src[k]) {
			k++
		}
		switch string(s.src[j:k]) {
		case "if", "for":
			f.dirs++
			if !s.add(1) {
				return true, false
			}
		case "endif", "endfor":
			if f.dirs > 0 {
				f.dirs--
				s.depth--
			}
		}
	}
	s.advance(2)
	s.textRun = false
	if !s.tok() {
		return true, false
	}
	return true, s.push(frame{kind: fTemplate, closer: '}'})
}

func (s *scanner) stringByte(f *frame) bool {
	if consumed, ok := s.templateOpen(f); consumed || !ok {
		return ok
	}
	switch s.peek(0) {
	case '\\':
		s.advance(2)
	case '"':
		s.advance(1)
		s.pop()
		s.textRun = false
		return s.tok()
	case '\n':
		// A quoted string ends at the end of its line (an error the parser
		// reports); what follows is read as an expression.
		s.pop()
	default:
		s.advance(1)
		if !s.textRun {
			s.textRun = true
			return s.tok()
		}
	}
	return true
}

func (s *scanner) heredocByte(f *frame) bool {
	if s.lineStart {
		s.lineStart = false
		j := s.i
		for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
			j++
		}
		k := j
		for k < len(s.src) && isIdentByte(s.src[k]) {
			k++
		}
		e := k
		if e < len(s.src) && s.src[e] == '\r' {
			e++
		}
		if string(s.src[j:k]) == string(f.marker) && (e == len(s.src) || s.src[e] == '\n') {
			s.advance(k - s.i)
			s.pop()
			return true
		}
	}
	if consumed, ok := s.templateOpen(f); consumed || !ok {
		return ok
	}
	if s.peek(0) == '\n' {
		s.lineStart = true
		s.textRun = false
	}
	s.advance(1)
	if !s.textRun {
		s.textRun = true
		return s.tok()
	}
	return true
}

// CheckJSON scans JSON (or HCL's JSON syntax) and returns a *DepthError at
// the first place arrays and objects nest deeper than limit (MaxNesting when
// limit <= 0), else nil.
func CheckJSON(src []byte, filename string, limit int) error {
	if limit <= 0 {
		limit = MaxNesting
	}
	line, col, depth, tokens := 1, 1, 0, 0
	var closers []byte
	inString, inScalar := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		// Every string, structural byte and run of scalar bytes is a token.
		scalar := !inString && c != '"' && c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
			c != '[' && c != ']' && c != '{' && c != '}' && c != ':' && c != ','
		if !inString && c != ' ' && c != '\t' && c != '\r' && c != '\n' && !(scalar && inScalar) {
			tokens++
			if tokens > MaxTokens {
				return &TokenError{Filename: filename, Line: line, Column: col, Limit: MaxTokens}
			}
		}
		inScalar = scalar
		switch {
		case inString && c == '\\':
			i++
			col++
		case inString && c == '"', !inString && c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			if depth > limit {
				return &DepthError{Filename: filename, Line: line, Column: col, Byte: i, Limit: limit, What: "JSON"}
			}
			closers = append(closers, map[byte]byte{'[': ']', '{': '}'}[c])
		case (c == ']' || c == '}') && depth > 0 && closers[depth-1] == c:
			depth--
			closers = closers[:depth]
		}
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return nil
}
