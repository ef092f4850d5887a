# zgt_warnings(TARGET): the warnings every zgtflow target compiles with.
function(zgt_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
