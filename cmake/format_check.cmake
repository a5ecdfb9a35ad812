# Fails if any C++ source of the repository is not formatted as .clang-format says.
# Run as: cmake -DSOURCE_DIR=... -DCLANG_FORMAT=... -P format_check.cmake
file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/common/*.cc ${SOURCE_DIR}/common/*.h ${SOURCE_DIR}/storage/*.cc ${SOURCE_DIR}/storage/*.h
     ${SOURCE_DIR}/messaging/*.cc ${SOURCE_DIR}/messaging/*.h ${SOURCE_DIR}/http/*.cc ${SOURCE_DIR}/http/*.h
     ${SOURCE_DIR}/services/*.cc ${SOURCE_DIR}/services/*.h ${SOURCE_DIR}/orchestrator/*.cc
     ${SOURCE_DIR}/orchestrator/*.h ${SOURCE_DIR}/tools/*.cc ${SOURCE_DIR}/tools/*.h ${SOURCE_DIR}/tests/*.cc
     ${SOURCE_DIR}/tests/*.h ${SOURCE_DIR}/migrations/*.h ${SOURCE_DIR}/bench/*.cc ${SOURCE_DIR}/bench/*.h
     ${SOURCE_DIR}/wire/*.cc ${SOURCE_DIR}/wire/*.h)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
                WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE result ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "clang-format: these files need formatting (run scripts/lint --fix):\n${errors}")
endif()
list(LENGTH sources count)
message(STATUS "clang-format: ${count} files formatted")
