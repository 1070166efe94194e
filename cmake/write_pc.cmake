# write_pc.cmake — run by `cmake --install` (cmake/install.cmake sets the
# PT_PC_* variables first): writes ptsearch.pc from ptsearch.pc.in with the
# prefix being installed to, so --prefix and DESTDIR installs get the
# right paths. Relative GNUInstallDirs paths hang off ${exec_prefix}
# and ${prefix}.
set(PT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
if(NOT IS_ABSOLUTE "${PT_PC_LIBDIR}")
  set(PT_PC_LIBDIR "\${exec_prefix}/${PT_PC_LIBDIR}")
endif()
if(NOT IS_ABSOLUTE "${PT_PC_INCLUDEDIR}")
  set(PT_PC_INCLUDEDIR "\${prefix}/${PT_PC_INCLUDEDIR}")
endif()
configure_file("${PT_PC_TEMPLATE}" "${PT_PC_OUTPUT}" @ONLY)
