# Layers that the build enforces.
#
# Every source folder is a library, and its link dependencies are its layer: daemon/cases links
# daemon/calendar, so a file in cases may include "daemon/calendar/...". The include path a library
# gives is not the source tree (which would let any file include any header) but a staged tree in
# the build directory holding one link, to its own folder:
#
#   build/include/daemon_calendar/daemon/calendar -> daemon/calendar
#
# A library sees its own staged tree and, through its link dependencies, those of the layers below
# it, and nothing else. An include that reaches up a layer therefore fails to compile
# ("daemon/service/service.h: No such file or directory") instead of only looking wrong.

# complaints_stage_folder(TARGET FOLDER): TARGET's headers are FOLDER (a path below the project
# root, such as daemon/cases or parsers), included as "FOLDER/name.h".
function(complaints_stage_folder target folder)
  string(REPLACE "/" "_" tag "${folder}")
  set(stage "${PROJECT_BINARY_DIR}/include/${tag}")
  get_filename_component(parent "${stage}/${folder}" DIRECTORY)
  file(MAKE_DIRECTORY "${parent}")
  if(NOT EXISTS "${stage}/${folder}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${folder}" "${stage}/${folder}" SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE "${stage}")
  else()
    target_include_directories(${target} PUBLIC "${stage}")
  endif()
endfunction()
