# embed_page.cmake — cmake -DIN=page.html -DOUT=page.c -P embed_page.cmake
# Makes the search page part of ptserve: the HTML of page.html becomes
# pt_page_html, with its one <script>…</script> block replaced by
# <script src="page.js"></script> (relative, so the page works under a
# reverse proxy's prefix), and the block's code pt_page_js (served
# apart, so the page's Content-Security-Policy can forbid inline scripts).
file(READ "${IN}" page)
string(FIND "${page}" "<script>" open)
string(FIND "${page}" "</script>" close)
if(open LESS 0 OR close LESS open)
  message(FATAL_ERROR "${IN}: one <script>...</script> block is needed")
endif()
math(EXPR code_start "${open} + 8")
math(EXPR code_len "${close} - ${code_start}")
math(EXPR rest_start "${close} + 9")
string(SUBSTRING "${page}" 0 ${open} head)
string(SUBSTRING "${page}" ${code_start} ${code_len} code)
string(SUBSTRING "${page}" ${rest_start} -1 tail)
set(html "${head}<script src=\"page.js\"></script>${tail}")

# name text: a C array of text's bytes and its length.
function(c_array name text out)
  string(HEX "${text}" hex)
  string(LENGTH "${text}" len)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
  set(${out} "const char ${name}[] = {\n${bytes}0x00};\nconst size_t ${name}_len = ${len};\n" PARENT_SCOPE)
endfunction()
c_array(pt_page_html "${html}" html_c)
c_array(pt_page_js "${code}" js_c)
file(WRITE "${OUT}" "/* Generated from server/page.html by server/embed_page.cmake: do not edit. */\n#include <stddef.h>\n\nextern const char pt_page_html[];\nextern const size_t pt_page_html_len;\nextern const char pt_page_js[];\nextern const size_t pt_page_js_len;\n${html_c}${js_c}")
