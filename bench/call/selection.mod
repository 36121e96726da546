/* Selection: the model of `kakehashi call solve` (total score only). Data written by run.py
   from an input JSON, eligible applications only (requested within the award range, score at
   least min_score).
     B         blocks; A applications; BLOCK[a] its block; SCORE[a]; REQ[a] requested yen
     CAP       the budget cap                                                               */
set B;
set A;
param BLOCK{A} symbolic in B;
param SCORE{A};
param REQ{A} >= 0;
param CAP >= 0;

var x{A} binary;

maximize total_score: sum{a in A} SCORE[a] * x[a];

/* exactly one award per block */
s.t. one_per_block{b in B}: sum{a in A: BLOCK[a] = b} x[a] = 1;
/* the total within the cap */
s.t. budget: sum{a in A} REQ[a] * x[a] <= CAP;


solve;
printf {a in A: x[a] > 0.5} "PICK %s\n", a;
end;
