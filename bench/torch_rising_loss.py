"""A PyTorch run whose loss rose, to bring to Descent (docs/diagnostics.md):

    python3 bench/torch_rising_loss.py DIR

writes DIR/pixels.csv (300 rows of 8 features in 0..255, as raw pixel values are, and a class
label), trains nn.Sequential(Linear(8, 32), ReLU(), Linear(32, 3)) on it with full-batch SGD with
momentum 0.9 at lr 0.001 for 20 epochs, printing the loss, and saves the parameters it started from and ended with
as DIR/start.safetensors and DIR/end.safetensors. Needs: pip install torch safetensors.
"""
import os
import sys

import torch
import safetensors.torch as st

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
y = torch.arange(300) % 3
centres = torch.tensor([[60.0] * 8, [128.0] * 8, [196.0] * 8])
x = (centres[y] + 40 * torch.randn(300, 8)).clamp(0, 255).round()
with open(os.path.join(out, "pixels.csv"), "w") as f:
    f.write(",".join(f"p{j}" for j in range(8)) + ",label\n")
    for row, label in zip(x.tolist(), y.tolist()):
        f.write(",".join(f"{v:g}" for v in row) + f",{label}\n")

torch.manual_seed(1)
net = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
st.save_file(net.state_dict(), os.path.join(out, "start.safetensors"), metadata={"format": "pt"})
opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
for epoch in range(21):
    loss = torch.nn.functional.cross_entropy(net(x), y)
    if epoch % 4 == 0:
        print(f"epoch {epoch:2d}  loss {loss.item():.4g}")
    if epoch < 20:
        opt.zero_grad()
        loss.backward()
        opt.step()
st.save_file(net.state_dict(), os.path.join(out, "end.safetensors"), metadata={"format": "pt"})
