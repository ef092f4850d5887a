# antlr_generate(OUT_VAR GRAMMAR...): runs Debian's `antlr4` tool (4.7.2) on the
# grammars at build time and returns the generated C++ sources in OUT_VAR. The
# output goes to the build directory; generated code is never committed. The
# 4.7.2 output builds against libantlr4-runtime 4.9.
find_program(ANTLR4_TOOL antlr4 REQUIRED)

function(antlr_generate out_var name)
  set(grammars ${ARGN})
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/generated/${name}")
  set(outputs)
  foreach(g ${grammars})
    get_filename_component(base "${g}" NAME_WE)
    if(base MATCHES "Lexer$")
      list(APPEND outputs "${out_dir}/${base}.cpp" "${out_dir}/${base}.h")
    elseif(base MATCHES "Parser$")
      list(APPEND outputs "${out_dir}/${base}.cpp" "${out_dir}/${base}.h"
                          "${out_dir}/${base}Visitor.cpp" "${out_dir}/${base}BaseVisitor.cpp")
    else()
      list(APPEND outputs "${out_dir}/${base}Lexer.cpp" "${out_dir}/${base}Parser.cpp"
                          "${out_dir}/${base}Visitor.cpp" "${out_dir}/${base}BaseVisitor.cpp")
    endif()
  endforeach()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener
            -package zgtflow::dsl::gen -Xexact-output-dir -o "${out_dir}" ${grammars}
    DEPENDS ${grammars}
    COMMENT "Generating the ${name} parser with ANTLR"
    VERBATIM)
  set(${out_var} ${outputs} PARENT_SCOPE)
  set(${out_var}_INCLUDE "${out_dir}" PARENT_SCOPE)
endfunction()
