#!/bin/sh
# Document formats and encodings. Every format is made from sample corpus
# texts: the encodings with iconv and the test tool's encoders (TCVN3, VNI),
# HTML, DOCX and ODT written here with awk and zip, PDF and RTF by the test
# tool (cairo; \uN and VNI-font RTF), .doc and a real word processor's
# DOCX/ODT/RTF/PDF from tests/fixtures/formats (made by its
# make-fixtures.sh). Each is indexed with `polsearch index` and must agree
# with the plain-text original: the extracted text (exactly, or with
# whitespace folded where the format reflows lines, or lowercased for
# TCVN3), the metadata (type, number, date), the format and encoding, and a
# phrase search. Files that are not what their extension says, zip bombs
# and a scanned PDF are skipped with a clear message, and the run goes on.
. "$(dirname "$0")/lib.sh"
FMT="${POLSEARCH_TOOLS:?}/formats"
FIX="$ROOT/tests/fixtures/formats"
[ -x "$FMT" ] || { echo "the formats tool is not built"; exit 1; }
for c in zip iconv jq; do
    command -v $c >/dev/null || { echo "skip: $c is not installed (make deps)"; exit 77; }
done
DB="$T/db"
D="$T/docs"
mkdir -p "$D" "$T/work"

# ---- makers ------------------------------------------------------------

# html SRC CHARSET: the text as a page, one <p> a line, amid what a site
# adds (scripts, styles, navigation, banner, footer, a search form, hidden
# text) that must not be read; CHARSET "" writes no meta.
html() {
    awk -v cs="$2" '
    function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
    BEGIN {
        print "<!DOCTYPE html>"
        print "<html lang=\"vi\"><head>"
        if (cs != "") print "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=" cs "\">"
        print "<title>ZZTITLE Cổng thông tin</title>"
        print "<style>p { margin: 0 } .zzstyle { color: red }</style>"
        print "<script>var zz = \"ZZSCRIPT <p>không phải văn bản</p>\";</script>"
        print "</head><body>"
        print "<header><h1>ZZBANNER Cổng thông tin điện tử</h1></header>"
        print "<nav><ul><li>ZZNAV Trang chủ</li><li>Văn bản</li></ul></nav>"
        print "<form action=\"/tim\"><label>ZZFORM Tìm kiếm</label><input name=\"q\"><button>Tìm</button></form>"
        print "<main><article>"
    }
    /^$/ { print "<p></p>"; next }
    NR == 3 { print "<p>" esc($0) "<span style=\"display: none\">ZZHIDDEN</span></p>"; next }
    { print "<p>" esc($0) "</p>" }
    END {
        print "<div hidden>ZZHIDDEN2</div><noscript>ZZNOSCRIPT</noscript>"
        print "</article></main>"
        print "<aside>ZZASIDE Văn bản liên quan</aside>"
        print "<footer>ZZFOOTER Bản quyền</footer>"
        print "<script>document.title = \"ZZSCRIPT2\";</script>"
        print "</body></html>"
    }' "$1"
}

# docx SRC OUT: one w:p a line, each split into two runs mid-line, the
# second bold; blank lines as empty paragraphs. Around them what a reader
# must not see: a table of contents, a deleted run, a field code, tab
# stops, a header part.
docx() {
    w="$T/work/docx"
    rm -rf "$w"; mkdir -p "$w/_rels" "$w/word/_rels"
    cat > "$w/[Content_Types].xml" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
X
    cat > "$w/_rels/.rels" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
X
    printf '<?xml version="1.0"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>ZZHEADER</w:t></w:r></w:p></w:hdr>\n' > "$w/word/header1.xml"
    awk '
    function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
    function run(s, bold) { return "<w:r>" (bold ? "<w:rPr><w:b/></w:rPr>" : "") "<w:t xml:space=\"preserve\">" esc(s) "</w:t></w:r>" }
    BEGIN {
        print "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        print "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>"
        print "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/></w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>ZZTOC Mục lục</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    }
    /^$/ { print "<w:p/>"; next }
    {
        n = length($0); cut = int(n / 2)
        while (cut < n && substr($0, cut, 1) != " ") cut++
        p = "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>" run(substr($0, 1, cut), 0)
        if (cut < n) p = p run(substr($0, cut + 1), 1)
        if (NR == 2) p = p "<w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>ZZDELETED</w:delText></w:r></w:del>"
        if (NR == 3) p = p "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> ZZFIELD </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        print p "</w:p>"
    }
    END { print "<w:sectPr/></w:body></w:document>" }' "$1" > "$w/word/document.xml"
    rm -f "$2"
    (cd "$w" && zip -q -X -r "$2" '[Content_Types].xml' _rels word)
}

# odt SRC OUT: text:p (text:h for articles), a span in each, runs of
# spaces as text:s; a footnote, an annotation and a table of contents that
# must not be read.
odt() {
    w="$T/work/odt"
    rm -rf "$w"; mkdir -p "$w/META-INF"
    printf 'application/vnd.oasis.opendocument.text' > "$w/mimetype"
    cat > "$w/META-INF/manifest.xml" <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>
X
    awk '
    function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
    BEGIN {
        print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        print "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" office:version=\"1.2\">"
        print "<office:automatic-styles><text:list-style/></office:automatic-styles><office:body><office:text>"
        print "<text:sequence-decls><text:sequence-decl text:display-outline-level=\"0\" text:name=\"ZZSEQ\"/></text:sequence-decls>"
        print "<text:table-of-content text:name=\"toc\"><text:index-body><text:p>ZZTOC Mục lục</text:p></text:index-body></text:table-of-content>"
    }
    /^$/ { print "<text:p/>"; next }
    {
        line = esc($0); tag = ($0 ~ /^Điều [0-9]/) ? "text:h" : "text:p"
        sp = index(line, " ")
        if (sp > 0) line = "<text:span text:style-name=\"T1\">" substr(line, 1, sp - 1) "</text:span>" substr(line, sp)
        if (NR == 2) line = line "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation><text:note-body><text:p>ZZNOTE</text:p></text:note-body></text:note>"
        if (NR == 3) line = line "<office:annotation><text:p>ZZANNOT</text:p></office:annotation>"
        print "<" tag ">" line "<text:soft-page-break/></" tag ">"
    }
    END { print "</office:text></office:body></office:document-content>" }' "$1" > "$w/content.xml"
    rm -f "$2"
    (cd "$w" && zip -q -X -0 "$2" mimetype && zip -q -X -r "$2" META-INF content.xml)
}

# ---- the documents ------------------------------------------------------

DOCS="dang/nq-57-2024 nha-nuoc/nd-30-2020 nha-nuoc/luat-60-2024"
# a phrase of each, for the search check
phrase_of() {
    case "$1" in
    nq-57-2024) echo "đột phá phát triển khoa học" ;;
    nd-30-2020) echo "công tác văn thư" ;;
    luat-60-2024) echo "dữ liệu" ;;
    esac
}

for d in $DOCS; do
    b=$(basename "$d")
    src="$ROOT/corpus/$d.txt"
    cp "$src" "$D/$b.txt"
    { printf '\357\273\277'; cat "$src"; } > "$D/$b.utf8bom.txt"
    "$FMT" encode utf-16le < "$src" > "$D/$b.utf16le.txt"
    "$FMT" encode utf-16be < "$src" > "$D/$b.utf16be.txt"
    iconv -f UTF-8 -t CP1258 "$src" > "$D/$b.cp1258.txt"
    "$FMT" encode tcvn3 < "$src" > "$D/$b.tcvn3.txt"
    "$FMT" encode vni < "$src" > "$D/$b.vni.txt"
    sed 's/^\(Điều [0-9][0-9]*\.\)/## **\1**/' "$src" > "$D/$b.md"
    html "$src" utf-8 > "$D/$b.html"
    html "$src" windows-1258 | iconv -f UTF-8 -t CP1258 > "$D/$b.cp1258.htm"
    html "$src" "" | "$FMT" encode vni > "$D/$b.vni.html"
    docx "$src" "$D/$b.docx"
    odt "$src" "$D/$b.odt"
    "$FMT" pdf "$src" "$D/$b.pdf" 30
    "$FMT" rtf unicode "$src" "$D/$b.rtf"
    "$FMT" rtf vni "$src" "$D/$b.vni.rtf"
    cp "$FIX/$b.doc" "$D/$b.doc"
done
for f in nq-57-2024.lo.docx nq-57-2024.lo.odt nq-57-2024.lo.rtf nq-57-2024.lo.pdf \
         nd-30-2020.table.html nd-30-2020.table.doc nd-30-2020.table.docx \
         nd-30-2020.table.odt nd-30-2020.table.rtf; do
    cp "$FIX/$f" "$D/$f"
done
n_files=$(ls "$D" | wc -l)

expect_status "index every format" 0 "$P" index --db "$DB" "$D"
grep -q "^$n_files documents indexed" "$T/err" && ok "all $n_files files indexed" || fail "index: $(cat "$T/err")"

# each document's JSON, read once
mkdir -p "$T/json"
show() {
    [ -s "$T/json/$1" ] || "$P" show --db "$DB" --json "$1" > "$T/json/$1" || { rm -f "$T/json/$1"; return 1; }
    cat "$T/json/$1"
}

# check ID ORIGINAL-ID FORMAT ENCODING TEXT-MODE
#   TEXT-MODE: exact, lower (TCVN3: no capitals with tone marks), words
#   (line breaks may differ: whitespace folded, blank lines gone)
check() {
    id=$1 orig=$2 want_fmt=$3 want_enc=$4 mode=$5
    show "$id" > "$T/got.json" 2>"$T/err" || { fail "$id: show failed: $(cat "$T/err")"; return; }
    show "$orig" > "$T/orig.json"
    got=$(jq -r '[.format, .encoding] | join(" ")' "$T/got.json")
    expect_eq "$id: format and encoding" "$want_fmt $want_enc" "$got"
    got=$(jq -c '[.type, .number, .date, .issuer]' "$T/got.json")
    want=$(jq -c '[.type, .number, .date, .issuer]' "$T/orig.json")
    expect_eq "$id: type, number, date, issuer" "$want" "$got"
    case $mode in
    exact)
        jq -j .text "$T/got.json" > "$T/a"; jq -j .text "$T/orig.json" > "$T/b" ;;
    lower)
        jq -j .text "$T/got.json" | "$FMT" lower > "$T/a"; jq -j .text "$T/orig.json" | "$FMT" lower > "$T/b" ;;
    words|words+table)
        jq -j '.text | gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" ")' "$T/got.json" > "$T/a"
        jq -j '.text | gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" ")' "$T/orig.json" > "$T/b"
        # the fixtures with tables end with a small data table
        [ "$mode" = words ] || printf ' Loại văn bản Viết tắt Nghị định NĐ Quyết định QĐ' >> "$T/b" ;;
    esac
    if cmp -s "$T/a" "$T/b"; then ok "$id: text ($mode)"; else
        fail "$id: text ($mode) differs: $(diff "$T/a" "$T/b" | head -c 600)"; fi
}

for d in $DOCS; do
    b=$(basename "$d")
    o=$b.txt
    check "$b.utf8bom.txt" "$o" txt UTF-8 exact
    check "$b.utf16le.txt" "$o" txt UTF-16 exact
    check "$b.utf16be.txt" "$o" txt UTF-16 exact
    check "$b.cp1258.txt" "$o" txt CP1258 exact
    check "$b.tcvn3.txt" "$o" txt TCVN3 lower
    check "$b.vni.txt" "$o" txt VNI exact
    check "$b.md" "$o" md UTF-8 exact
    check "$b.html" "$o" html UTF-8 words
    check "$b.cp1258.htm" "$o" html CP1258 words
    check "$b.vni.html" "$o" html VNI words
    check "$b.docx" "$o" docx UTF-8 exact
    check "$b.odt" "$o" odt UTF-8 exact
    check "$b.pdf" "$o" pdf UTF-8 words
    check "$b.rtf" "$o" rtf CP1258 exact
    check "$b.vni.rtf" "$o" rtf VNI exact
    check "$b.doc" "$o" doc UTF-8 exact

    # the phrase finds every variant
    "$P" search --db "$DB" --json --limit 100 -- "\"$(phrase_of "$b")\"" > "$T/hits.json"
    missing=""
    for f in "$D/$b".*; do
        id=$(basename "$f")
        jq -e --arg id "$id" '[.hits[].id] | index($id)' "$T/hits.json" >/dev/null || missing="$missing $id"
    done
    expect_eq "$b: phrase \"$(phrase_of "$b")\" finds every format" "" "$missing"
done
check nq-57-2024.lo.docx nq-57-2024.txt docx UTF-8 exact
check nq-57-2024.lo.odt nq-57-2024.txt odt UTF-8 exact
check nq-57-2024.lo.rtf nq-57-2024.txt rtf UTF-8 exact
check nq-57-2024.lo.pdf nq-57-2024.txt pdf UTF-8 words
for e in html doc docx odt rtf; do
    check "nd-30-2020.table.$e" nd-30-2020.txt "$e" UTF-8 words+table
done

# what sites and word processors add is not read
for id in $(ls "$D"); do
    show "$id" | jq -r .text
done > "$T/all.txt"
leaked=$(grep -o 'ZZ[A-Z0-9]*' "$T/all.txt" | sort -u | tr '\n' ' ')
expect_eq "no script, style, navigation, hidden text, TOC, deleted text, notes" "" "$leaked"
expect_eq "the table header block reads as its lines" "Số: 30/2020/NĐ-CP	Hà Nội, ngày 05 tháng 3 năm 2020" \
    "$(show nd-30-2020.table.docx | jq -r .text | sed -n 6p)"

# PDF pages: as many as poppler's pdfinfo counts, each starting where
# pdftotext's page starts
if command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null; then
    for f in nq-57-2024.pdf luat-60-2024.pdf nq-57-2024.lo.pdf; do
        n=$(pdfinfo "$D/$f" | awk '/^Pages:/ { print $2 }')
        got=$("$FMT" extract "$D/$f" | jq '.n_pages')
        expect_eq "$f: $n pages" "$n" "$got"
        k=1; bad=""
        while [ "$k" -le "$n" ]; do
            # (our first line may be longer: lines the layout wrapped are joined)
            a=$("$FMT" page "$D/$f" "$k" | head -n 1)
            b=$(pdftotext -f "$k" -l "$k" "$D/$f" - | grep -v '^[[:space:]]*$' | head -n 1)
            case "$a" in "$b"*) ;; *) bad="$bad $k:[$a]!=[$b]" ;; esac
            k=$((k + 1))
        done
        expect_eq "$f: each page starts where its text does" "" "$bad"
    done
else
    echo "note: pdfinfo/pdftotext missing, page checks skipped"
fi

# ---- what must be refused -------------------------------------------------

B="$T/bad"
mkdir -p "$B"
cp "$D/nq-57-2024.docx" "$B/good.docx"
printf 'Đây không phải là PDF.\n' > "$B/fake.pdf"
head -c 3000 "$D/nq-57-2024.pdf" > "$B/truncated.pdf"
printf 'Đây không phải là DOCX.\n' > "$B/fake.docx"
printf 'Văn bản thường, không phải Word.\n' > "$B/fake.doc"
printf 'không phải RTF\n' > "$B/fake.rtf"
head -c 4096 /dev/urandom > "$B/random.odt"
head -c 20000 /dev/urandom > "$B/binary.html"
"$FMT" scan "$B/scan.pdf"
(cd "$T/work" && printf 'x' > other.txt && rm -f "$B/noword.docx" && zip -q "$B/noword.docx" other.txt)
# a zip bomb: 100 MB of spaces packs into a hundred KB
mkdir -p "$T/work/bomb/word"
head -c 100000000 /dev/zero | tr '\0' ' ' > "$T/work/bomb/word/document.xml"
(cd "$T/work/bomb" && zip -q -r "$B/bomb.docx" word)
rm -rf "$T/work/bomb"
"$FMT" zip-entries "$B/entries.docx" 10001

expect_status "bad files: exit 1" 1 "$P" index --db "$DB" "$B"
named() { # named FILE PATTERN
    grep -q "skipping .*$1: .*$2" "$T/err" && ok "$1 refused: $2" || fail "$1: expected \"$2\" in: $(grep "$1" "$T/err")"
}
named fake.pdf "not a PDF file"
named truncated.pdf "PDF"
named fake.docx "not a DOCX file (not a zip archive)"
named fake.doc "not a Word 97-2003 document"
named fake.rtf "not an RTF file"
named random.odt "not an ODT file"
named binary.html "binary content"
named scan.pdf "no text layer (scanned PDF?)"
named noword.docx "not a DOCX file"
named bomb.docx "zip bomb"
named entries.docx "over the limit"
grep -q "^1 documents indexed.*11 failed" "$T/err" && ok "the good file indexed, eleven failed" || fail "bad run: $(tail -n 1 "$T/err")"
expect_eq "good file found" "good.docx" "$("$P" search --db "$DB" --json --limit 100 '"đột phá phát triển"' | jq -r '[.hits[].id | select(. == "good.docx")][0]')"

# pages of a PDF are kept for locations: in show, in hits and in citations
"$P" index --db "$T/pdf" --quiet "$ROOT/tests/fixtures/formats/nq-57-2024.lo.pdf" || fail "indexing the PDF"
expect_eq "show: page starts" "true" \
    "$("$P" show --db "$T/pdf" --json nq-57-2024.lo.pdf | jq '(.pages | length) >= 1 and .pages[0] == 0')"
expect_eq "hit: its page" "true" \
    "$("$P" search --db "$T/pdf" --json --unit passage "chuyển đổi số" | jq '[.hits[].passage.page] | all(. >= 1)')"
expect_eq "cite: the page of the match" "true" \
    "$("$P" cite --db "$T/pdf" --json "chuyển đổi số là đột phá quan trọng hàng đầu" | jq '.hits[0].page >= 1')"
finish
