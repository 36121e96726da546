/* Reviewer assignment: the model of `kakehashi call assign` (expertise cost only). Data written
   by run.py from an input JSON.
     A applications; R reviewers; K reviewers per application; M maximum load
     RA[a]     the conflict-free reviewers of application a; AR[r] the applications of r
     COST[a,r] 0 when the reviewer's expertise shares a topic with the application, else 1  */
set A;
set R;
param K >= 1, integer;
param M >= 0, integer;
set RA{A} within R;
set AR{R} within A;
set OK := setof{a in A, r in RA[a]} (a, r);
param COST{OK} >= 0;

var y{OK} binary;

minimize cost: sum{(a, r) in OK} COST[a, r] * y[a, r];

/* exactly K reviewers per application */
s.t. per_application{a in A}: sum{r in RA[a]} y[a, r] = K;
/* at most M applications per reviewer */
s.t. load{r in R}: sum{a in AR[r]} y[a, r] <= M;

solve;
printf {(a, r) in OK: y[a, r] > 0.5} "PICK %s %s\n", a, r;
end;
