# `cmake --install` (and the Debian package, debian/rules): the binary in
# bindir, its manual page, and the systemd unit of deploy/systemd with its
# ExecStart pointed at that binary. Included at the end of the top
# CMakeLists.txt.
include(GNUInstallDirs)

install(TARGETS migration-monitor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/migration-monitor.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

option(MIGMON_INSTALL_SYSTEMD_UNIT "Install the systemd unit of deploy/systemd" ON)
# Relative to the prefix by default (systemd reads /usr/local/lib/systemd/system
# too); Debian 12's debhelper wants /lib/systemd/system. The unit's ExecStart
# names the binary under the prefix configured, not one given to --install.
set(MIGMON_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where `cmake --install` puts migration-monitor.service (relative: under the prefix)")
if(NOT MIGMON_INSTALL_SYSTEMD_UNIT)
  return()
endif()

# deploy/systemd/migration-monitor.service is written for a copy by hand to
# /usr/local/bin (tests/checks/deploy_systemd.py holds it to that). The
# installed one runs the installed binary, and its header says where it came
# from instead of how to copy it.
set(unit_source ${PROJECT_SOURCE_DIR}/deploy/systemd/migration-monitor.service)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${unit_source})
file(READ ${unit_source} unit)
set(manual_exec "ExecStart=/usr/local/bin/migration-monitor ")
string(FIND "${unit}" "${manual_exec}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${unit_source} has no line starting with \"${manual_exec}\": "
                      "cmake/install.cmake cannot point it at the installed binary")
endif()
string(REPLACE "${manual_exec}" "ExecStart=${CMAKE_INSTALL_FULL_BINDIR}/migration-monitor " unit "${unit}")
string(FIND "${unit}" "[Unit]" at)
string(SUBSTRING "${unit}" ${at} -1 unit)
set(header "# migration-monitor, installed with the binary at ${CMAKE_INSTALL_FULL_BINDIR}.\n")
string(APPEND header "# The user, the config and the token: see deploy/systemd/README.md in the\n")
string(APPEND header "# sources (the Debian package: /usr/share/doc/migration-monitor/README.Debian).\n")
file(WRITE ${CMAKE_BINARY_DIR}/migration-monitor.service "${header}${unit}")
install(FILES ${CMAKE_BINARY_DIR}/migration-monitor.service DESTINATION ${MIGMON_SYSTEMD_UNIT_DIR})
