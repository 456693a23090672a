# The layering rules of the data flow, checked on every build:
#   - only hypervisor/ includes libvirt's or libxml2's headers. Both sit on
#     the system include path, so linking them PRIVATE to migmon_hypervisor
#     alone cannot stop another folder from including them;
#   - only daemon/ (which wires the stages) includes from hypervisor/.
# Tests and fuzzers are exempt: they exercise hypervisor/ directly.
#
#   cmake -DSOURCE_DIR=<tree> -P cmake/check_layering.cmake
# exits non-zero naming every file and include line that breaks a rule.
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layering: pass -DSOURCE_DIR=<source tree>")
endif()

set(stages api client config daemon enforcer exporter http metrics migrations samples scheduler
           store trace tracker util hypervisor)
set(violations "")
foreach(stage ${stages})
  file(GLOB_RECURSE files ${SOURCE_DIR}/${stage}/*.h ${SOURCE_DIR}/${stage}/*.cpp)
  foreach(file ${files})
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include")
    file(RELATIVE_PATH relative ${SOURCE_DIR} ${file})
    foreach(line ${lines})
      if(NOT stage STREQUAL "hypervisor" AND line MATCHES "[<\"](libvirt|libxml)/")
        list(APPEND violations "${relative}: ${line}: only hypervisor/ may include ${CMAKE_MATCH_1}")
      endif()
      if(NOT stage MATCHES "^(hypervisor|daemon)$" AND line MATCHES "[<\"]hypervisor/")
        list(APPEND violations "${relative}: ${line}: only daemon/ may include from hypervisor/")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering rules broken:\n  ${text}")
endif()
