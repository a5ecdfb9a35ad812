# Project-wide build settings, applied per target through INTERFACE libraries so that nothing edits
# CMAKE_CXX_FLAGS. Warnings become errors through COMPILE_WARNING_AS_ERROR (set by the CI/test preset).

add_library(sagaflow_options INTERFACE)
target_compile_options(sagaflow_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                                  -Wold-style-cast -Wcast-align -Wnull-dereference)
target_include_directories(sagaflow_options INTERFACE ${PROJECT_SOURCE_DIR})
target_link_libraries(sagaflow_options INTERFACE Threads::Threads)
if(SAGAFLOW_SANITIZE)
  target_compile_options(sagaflow_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined)
  target_link_options(sagaflow_options INTERFACE -fsanitize=address,undefined)
endif()

# sagaflow_library(<name> SOURCES ... DEPS ...): one static library per component, aliased sagaflow::<name>.
function(sagaflow_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(sagaflow_${name} STATIC ${ARG_SOURCES})
  add_library(sagaflow::${name} ALIAS sagaflow_${name})
  target_link_libraries(sagaflow_${name} PUBLIC sagaflow_options ${ARG_DEPS})
endfunction()

# sagaflow_binary(<name> SOURCES ... DEPS ...): a thin executable that only composes libraries.
function(sagaflow_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE sagaflow_options ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
endfunction()

# sagaflow_test(<name> LABEL unit|integration|chaos SOURCES ... DEPS ...): a GoogleTest binary registered in CTest.
function(sagaflow_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE sagaflow_options ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} TEST_PREFIX "${name}." PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT} DISCOVERY_TIMEOUT 60)
endfunction()
