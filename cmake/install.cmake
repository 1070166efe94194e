# install.cmake — what `cmake --install` puts where (GNUInstallDirs): the
# programs, libptsearch as a shared library (versioned soname, exporting
# only the functions include/ptsearch.h declares) and as a static one, the
# header, ptsearch.pc and the man pages. CMakeLists.txt includes it last,
# once every program target (ptserve too, where it exists) is defined.
include(GNUInstallDirs)

# The functions include/ptsearch.h declares (a name followed by '(' outside
# comments), sorted: the shared library exports these and nothing else.
function(pt_public_functions header out)
  file(READ "${header}" text)
  while(TRUE)
    string(FIND "${text}" "/*" open)
    if(open EQUAL -1)
      break()
    endif()
    string(SUBSTRING "${text}" 0 ${open} before)
    string(SUBSTRING "${text}" ${open} -1 rest)
    string(FIND "${rest}" "*/" close)
    if(close EQUAL -1)
      message(FATAL_ERROR "${header}: a comment is not closed")
    endif()
    math(EXPR close "${close} + 2")
    string(SUBSTRING "${rest}" ${close} -1 rest)
    set(text "${before} ${rest}")
  endwhile()
  string(REGEX REPLACE "//[^\n]*" "" text "${text}")
  string(REGEX MATCHALL "pt_[a-z0-9_]+[ \t]*\\(" calls "${text}")
  list(TRANSFORM calls REPLACE "[ \t]*\\($" "")
  list(REMOVE_DUPLICATES calls)
  list(SORT calls)
  set(${out} ${calls} PARENT_SCOPE)
endfunction()

set(PT_HEADER ${PROJECT_SOURCE_DIR}/include/ptsearch.h)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PT_HEADER})
pt_public_functions(${PT_HEADER} PT_API_FUNCTIONS)
list(JOIN PT_API_FUNCTIONS ";\n    " PT_API_LIST)
# A version script rather than -fvisibility=hidden: the header stays free
# of export macros, and the symbols of libstemmer.a linked in (Snowball's
# entry points, lib/analysis/snowball.c) are hidden too.
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/libptsearch.map CONTENT
"/* Generated from include/ptsearch.h by cmake/install.cmake. */
{
  global:
    ${PT_API_LIST};
  local: *;
};
")

# The shared library, from the same objects as the static one: position-
# independent code, and with -fno-semantic-interposition calls between the
# library's own functions stay direct (as in the programs' PIE code).
set_target_properties(libptsearch PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_compile_options(libptsearch PRIVATE -fno-semantic-interposition)
add_library(libptsearch_shared SHARED $<TARGET_OBJECTS:libptsearch>)
set_target_properties(libptsearch_shared PROPERTIES
  OUTPUT_NAME ptsearch VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
  LINK_DEPENDS ${PROJECT_BINARY_DIR}/libptsearch.map)
target_link_options(libptsearch_shared PRIVATE -Wl,--version-script=${PROJECT_BINARY_DIR}/libptsearch.map)
if(NOT PT_SANITIZE AND NOT PT_TSAN AND NOT PT_FUZZ)
  # Every symbol resolved at link time (the sanitizers' come from their runtime).
  target_link_options(libptsearch_shared PRIVATE -Wl,--no-undefined)
endif()
target_link_libraries(libptsearch_shared PRIVATE PkgConfig::XAPIAN PkgConfig::UTF8PROC PkgConfig::ZLIB
                      ${STEMMER_LINK} ${WORDNET_LIB})

install(TARGETS ptindex ptsearch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES docs/man/ptindex.1 docs/man/ptsearch.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
if(TARGET ptserve)
  install(TARGETS ptserve RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES docs/man/ptserve.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(TARGETS libptsearch_shared libptsearch
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PT_HEADER} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# ptsearch.pc. What a static link needs beside libptsearch.a: the packages
# with a .pc (Requires.private) and the rest (Libs.private). With
# PT_SNOWBALL_DIRECT the Snowball entry points are only in libstemmer.a
# (libstemmer.so hides them), so the archive is named.
if(PT_SNOWBALL_DIRECT)
  set(PT_PC_STEMMER "-l:libstemmer.a")
else()
  set(PT_PC_STEMMER "-lstemmer")
endif()
set(PT_PC_LIBS_PRIVATE "${PT_PC_STEMMER} -lwordnet -lstdc++ -lm")
# A sanitized library needs its runtime in every program that links it.
set(PT_PC_SANITIZE "")
if(PT_SANITIZE)
  set(PT_PC_SANITIZE " -fsanitize=address,undefined")
elseif(PT_TSAN)
  set(PT_PC_SANITIZE " -fsanitize=thread")
endif()
# Written at install time (cmake/write_pc.cmake), so that its prefix is the
# one installed to, `cmake --install --prefix DIR` included.
install(CODE "
set(PT_PC_TEMPLATE \"${PROJECT_SOURCE_DIR}/cmake/ptsearch.pc.in\")
set(PT_PC_OUTPUT \"${PROJECT_BINARY_DIR}/ptsearch.pc\")
set(PT_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
set(PT_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
set(PT_PC_VERSION \"${PROJECT_VERSION}\")
set(PT_PC_SANITIZE \"${PT_PC_SANITIZE}\")
set(PT_PC_LIBS_PRIVATE \"${PT_PC_LIBS_PRIVATE}\")
")
install(SCRIPT cmake/write_pc.cmake)
install(FILES ${PROJECT_BINARY_DIR}/ptsearch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
